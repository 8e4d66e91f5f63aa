import { request } from 'node:http';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { pinoHttp, type Options } from 'pino-http';
import { pinoOptions } from '../logging/logger-options';
import { requestContextHook } from '../logging/request-context';
import { logRequests } from '../logging/request-log';

type Line = Record<string, unknown>;

function capture(level: 'info' | 'warn'): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Line);
      done();
    },
  });
  const options = pinoOptions('gateway', level, false).pinoHttp as Options;
  // the logger as the apps get it: nestjs-pino builds it with pino-http, which wraps the serializers
  return { logger: pinoHttp(options, stream).logger, lines };
}

/** A server wired like the gateway's main.ts: request context, then the access log. */
async function server(logger: Logger): Promise<FastifyInstance> {
  const app = Fastify({ genReqId: () => 'req-9' });
  app.addHook('onRequest', requestContextHook);
  logRequests(app, logger);
  app.get('/api/v1/list', async () => {
    logger.warn({ body: { password: 'hunter2' } }, 'inside');
    return { ok: true };
  });
  app.get('/api/v1/missing', async (_request, reply) => reply.code(404).send({ code: 4040 }));
  app.get('/api/v1/broken', async (_request, reply) => reply.code(500).send({ code: 5000 }));
  app.get('/api/v1/health', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

/** GET through a real socket, not kept alive (Fastify's inject needs an ES module jest does not load here). */
function get(app: FastifyInstance, path: string, headers: Record<string, string> = {}): Promise<void> {
  const { port } = app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      res.resume().on('end', resolve);
    })
      .on('error', reject)
      .end();
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('request log lines', () => {
  it('name the request (id, method, path with a query token hidden), its status and time, at info', async () => {
    const { logger, lines } = capture('info');
    const app = await server(logger);
    await get(app, '/api/v1/list?accessToken=secret&x=1', { authorization: 'Bearer secret' });
    await settle();
    const access = lines.find((line) => line.msg === 'request completed')!;
    expect(access).toMatchObject({
      level: 30,
      name: 'gateway',
      req: { id: 'req-9', method: 'GET', url: '/api/v1/list?accessToken=[redacted]&x=1' },
      res: { statusCode: 200 },
      correlationId: 'req-9',
      requestId: 'req-9',
    });
    expect(typeof access.responseTime).toBe('number');
    expect(Object.keys(access.req as object).sort()).toEqual(['id', 'method', 'url']);
    expect(JSON.stringify(lines)).not.toContain('secret');
    await app.close();
  });

  it('name the request on every line written while it is served, with secrets redacted', async () => {
    const { logger, lines } = capture('warn');
    const app = await server(logger);
    await get(app, '/api/v1/list?accessToken=secret');
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'inside',
        requestId: 'req-9',
        correlationId: 'req-9',
        req: { id: 'req-9', method: 'GET', url: '/api/v1/list?accessToken=[redacted]' },
        body: { password: '[redacted]' },
      }),
    ]);
    await app.close();
  });

  it('log a 5xx at error level, and nothing for a 2xx or 4xx when the level is warn', async () => {
    const { logger, lines } = capture('warn');
    const child = jest.spyOn(logger, 'child');
    const app = await server(logger);
    await get(app, '/api/v1/missing');
    await get(app, '/api/v1/broken');
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request errored',
        req: { id: 'req-9', method: 'GET', url: '/api/v1/broken' },
        res: { statusCode: 500 },
        err: expect.objectContaining({ message: 'failed with status code 500' }),
        requestId: 'req-9',
      }),
    ]);
    // no per-request logger is made
    expect(child).not.toHaveBeenCalled();
    await app.close();
  });

  it('log a 4xx at info, and never a health probe', async () => {
    const { logger, lines } = capture('info');
    const app = await server(logger);
    await get(app, '/api/v1/missing');
    await get(app, '/api/v1/health');
    await settle();
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'request completed', res: { statusCode: 404 }, level: 30 }),
    ]);
    await app.close();
  });
});
