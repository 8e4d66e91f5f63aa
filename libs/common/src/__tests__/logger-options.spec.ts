import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import pinoHttp, { type Options } from 'pino-http';
import { pinoOptions } from '../logging/logger-options';

function capture(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('request log lines', () => {
  it('name the request (id, method, path with a query token hidden) without asking its socket', async () => {
    const { stream, lines } = capture();
    const middleware = pinoHttp(pinoOptions('gateway', 'info', false).pinoHttp as Options, stream);
    const socket = {
      get remoteAddress(): string {
        throw new Error('the socket was asked for its peer');
      },
      get remotePort(): number {
        throw new Error('the socket was asked for its peer');
      },
    };
    // middie keeps the path as sent in originalUrl
    const req = Object.assign(new EventEmitter(), {
      id: 'req-9',
      method: 'GET',
      url: '/list',
      originalUrl: '/api/v1/list?accessToken=secret&x=1',
      headers: { authorization: 'Bearer secret' },
      socket,
      connection: socket,
    });
    const res = Object.assign(new EventEmitter(), {
      statusCode: 200,
      headersSent: true,
      writableEnded: true,
      getHeaders: () => ({}),
    });
    middleware(req as never, res as never, () => undefined);
    res.emit('finish');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      req: { id: 'req-9', method: 'GET', url: '/api/v1/list?accessToken=[redacted]&x=1' },
      res: { statusCode: 200 },
      correlationId: 'req-9',
      msg: 'request completed',
    });
    expect(Object.keys(lines[0].req as object).sort()).toEqual(['id', 'method', 'url']);
    expect(JSON.stringify(lines[0])).not.toContain('secret');
  });
});
