import { once } from 'node:events';
import { createServer, type Server, Socket, type AddressInfo } from 'node:net';
import { JsonSocket, ServerTCP } from '@nestjs/microservices';
import { CoalescingJsonSocket } from '../link/coalescing-socket';
import { LinkTcpServer } from '../link/link-route';

/** The frames a plain Nest JsonSocket reads on the other end, in order. */
async function pair(): Promise<{ server: Server; client: Socket; received: unknown[] }> {
  const received: unknown[] = [];
  const server = createServer((peer) => {
    new JsonSocket(peer).on('message', (message: unknown) => received.push(message));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const client = new Socket();
  client.connect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(client, 'connect');
  return { server, client, received };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CoalescingJsonSocket', () => {
  it('sends the frames of one turn in one write, framed and ordered as Nest frames them', async () => {
    const { server, client, received } = await pair();
    try {
      const write = jest.spyOn(client, '_write');
      const writev = jest.spyOn(client, '_writev');
      const socket = new CoalescingJsonSocket(client);
      const frames = [
        { pattern: 'workflow.definition.list', data: { pageNum: 1 }, id: 'a' },
        { pattern: 'workflow.task.todo', data: { name: 'café ✓' }, id: 'b' },
        { id: 'c', response: { list: [] }, isDisposed: true },
      ];
      for (const frame of frames) socket.sendMessage(frame);
      await nextTurn();
      expect(write).not.toHaveBeenCalled();
      expect(writev).toHaveBeenCalledTimes(1);
      expect((writev.mock.calls[0][0] as unknown[]).length).toBe(3);

      // A later turn starts a new batch (one frame: one plain write).
      socket.sendMessage({ id: 'd', response: 1, isDisposed: true });
      await nextTurn();
      expect(writev).toHaveBeenCalledTimes(1);
      expect(write).toHaveBeenCalledTimes(1);

      for (let i = 0; i < 50 && received.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
      expect(received).toEqual([...frames, { id: 'd', response: 1, isDisposed: true }]);
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('is the link server’s socket class unless the options name another', () => {
    const socketClass = (server: ServerTCP) => (server as unknown as { socketClass: unknown }).socketClass;
    expect(socketClass(new LinkTcpServer({}))).toBe(CoalescingJsonSocket);
    expect(socketClass(new LinkTcpServer({ socketClass: JsonSocket }))).toBe(JsonSocket);
  });
});
