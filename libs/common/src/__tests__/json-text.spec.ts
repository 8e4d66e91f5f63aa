import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { JsonSocket } from '@nestjs/microservices';
import { JsonText, LinkJsonSocket, parsedReply, readJsonTextPacket } from '../link/json-text';
import { LinkTcpServer } from '../link/link-route';

/** A net.Socket stand-in: what a JsonSocket writes, and frames fed to it as received data. */
class FakeNetSocket extends EventEmitter {
  written: string[] = [];
  writableLength = 0;
  write(data: string, _encoding?: string, callback?: () => void): boolean {
    this.written.push(data);
    callback?.();
    return true;
  }
  pause(): void {}
  resume(): void {}
}

type SocketClass = typeof JsonSocket | typeof LinkJsonSocket;

/** The frame a socket of `Kind` writes for `packet`. */
function frameOf(Kind: SocketClass, packet: unknown): string {
  const net = new FakeNetSocket();
  new Kind(net as unknown as Socket).sendMessage(packet);
  return net.written.join('');
}

/** The packets a socket of `Kind` reads from `frame`. */
function read(Kind: SocketClass, frame: string): unknown[] {
  const net = new FakeNetSocket();
  const packets: unknown[] = [];
  net.on('message', (packet) => packets.push(packet));
  new Kind(net as unknown as Socket);
  net.emit('data', Buffer.from(frame));
  return packets;
}

const page = {
  total: 2,
  rows: [
    { id: '1', name: 'Say "hi", then \\ leave', candidates: ['group:7'], dueAt: null },
    {
      id: '2',
      name: '审批 ,"response":{"id":"x"} \u2028',
      candidates: [],
      dueAt: '2026-12-05T08:48:43.158Z',
    },
  ],
};
const id = '125f09205e6b87019debb';

describe('JSON-text replies on the link', () => {
  it('frames a JSON-text reply that any JSON reader reads as the reply itself, without serializing it again', () => {
    const stringify = jest.spyOn(JSON, 'stringify');
    const text = new JsonText(JSON.stringify(page));
    stringify.mockClear();
    let frame: string;
    try {
      frame = frameOf(LinkJsonSocket, { response: text, isDisposed: true, id });
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
    const plain = frameOf(JsonSocket, { response: page, isDisposed: true, id });
    expect(frame.length).toBe(plain.length);
    // Nest's own socket (an older gateway) reads the same packet
    expect(read(JsonSocket, frame)).toEqual(read(JsonSocket, plain));
    expect(read(JsonSocket, frame)).toEqual([{ response: page, isDisposed: true, id }]);
  });

  it('reads such a frame with the response as its JSON text, not parsed', () => {
    const text = JSON.stringify(page);
    const frame = frameOf(LinkJsonSocket, { response: new JsonText(text), isDisposed: true, id });
    const parse = jest.spyOn(JSON, 'parse');
    let packets: unknown[];
    try {
      packets = read(LinkJsonSocket, frame);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    expect(packets).toEqual([{ id, isDisposed: true, response: expect.any(JsonText) }]);
    expect((packets[0] as { response: JsonText }).response.text).toBe(text);
    // a reply not yet disposed keeps that
    const open = read(LinkJsonSocket, frameOf(LinkJsonSocket, { response: new JsonText('[1]'), id }));
    expect(open).toEqual([{ id, response: expect.any(JsonText) }]);
    expect(parsedReply((open[0] as { response: JsonText }).response)).toEqual([1]);
  });

  it.each([
    ['a reply', { response: page, isDisposed: true, id }],
    ['a reply still open', { response: page, id }],
    ['a reply of nothing', { isDisposed: true, id }],
    ['an error', { err: { code: 404, msg: 'no "task"' }, isDisposed: true, id }],
    ['no handler', { id, status: 'error', err: 'There is no matching message handler defined' }],
    ['a command', { pattern: 'workflow.task.list', data: { meta: {}, body: page }, id }],
    ['an event', { pattern: 'workflow.events', data: page }],
    [
      'JSON text under an id that needs escaping',
      { response: new JsonText('[2]'), isDisposed: true, id: 'a"b' },
    ],
    ['JSON text beside an error', { response: new JsonText('[3]'), err: 'boom', id }],
  ])('frames and reads %s as Nest does', (_name, packet) => {
    const frame = frameOf(LinkJsonSocket, packet);
    expect(frame).toBe(frameOf(JsonSocket, packet));
    expect(read(LinkJsonSocket, frame)).toEqual(read(JsonSocket, frame));
  });

  it('reads only frames with the id first and the response last as JSON text', () => {
    expect(readJsonTextPacket(`{"response":{"id":"x"},"isDisposed":true,"id":"${id}"}`)).toBeUndefined();
    expect(readJsonTextPacket(`{"id":"${id}","status":"error","err":"x"}`)).toBeUndefined();
    expect(readJsonTextPacket(`{"id":"${id}","isDisposed":true}`)).toBeUndefined();
    expect(readJsonTextPacket(`{"id":"a\\"b","response":1}`)).toBeUndefined();
    expect(readJsonTextPacket(`{"id":"${id}","response":{"a":1}}`)?.response.text).toBe('{"a":1}');
  });

  it('is what the link server frames with, unless told otherwise', () => {
    const socketClass = (server: LinkTcpServer) =>
      (server as unknown as { socketClass: unknown }).socketClass;
    expect(socketClass(new LinkTcpServer({}))).toBe(LinkJsonSocket);
    expect(socketClass(new LinkTcpServer({ socketClass: JsonSocket }))).toBe(JsonSocket);
  });

  it('gives the value itself to anything that serializes it', () => {
    expect(JSON.stringify({ data: new JsonText(JSON.stringify(page)) })).toBe(JSON.stringify({ data: page }));
    expect(parsedReply(page)).toBe(page);
  });
});
