import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import { pinoOptions } from '../logging/logger-options';
import { writeRequestLine } from '../logging/request-log';

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
    const logger = pino(pinoOptions('gateway', 'info', false).pinoHttp as LoggerOptions, stream);
    const socket = {
      get remoteAddress(): string {
        throw new Error('the socket was asked for its peer');
      },
      get remotePort(): number {
        throw new Error('the socket was asked for its peer');
      },
    };
    // Fastify keeps the path as sent in originalUrl
    const req = {
      id: 'req-9',
      method: 'GET',
      url: '/list',
      originalUrl: '/api/v1/list?accessToken=secret&x=1',
      headers: { authorization: 'Bearer secret' },
      socket,
      connection: socket,
    };
    const res = { statusCode: 200, headersSent: true, writableEnded: true, getHeaders: () => ({}) };
    writeRequestLine(logger, req, res, 3);
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

  it('hide secrets at the top of a line as well as one level down', async () => {
    const { stream, lines } = capture();
    const logger = pino(pinoOptions('gateway', 'info', false).pinoHttp as LoggerOptions, stream);
    logger.warn({ password: 'pw-top', token: 'tk-top', body: { password: 'pw-nested', name: 'ann' } }, 'x');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines[0]).toMatchObject({
      password: '[redacted]',
      token: '[redacted]',
      body: { password: '[redacted]', name: 'ann' },
    });
  });
});
