import type { AddressInfo } from 'node:net';
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { helmetOptions, useSecurityHeaders } from '../security-headers';

/** The answer's headers as a client receives them, without the ones that vary per answer. */
async function headersOf(setup: (fastify: FastifyInstance) => Promise<void>, url: string) {
  const fastify = Fastify();
  await setup(fastify);
  fastify.get('/page', (_request, reply) => reply.send({ ok: true }));
  fastify.get('/own-policy', (_request, reply) =>
    reply.header('content-security-policy', "default-src 'none'").send('x'),
  );
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  try {
    const { port } = fastify.server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${url}`);
    await res.text();
    const headers = [...res.headers.entries()].filter(
      ([name]) => !/^(date|keep-alive|connection)$/.test(name),
    );
    return { status: res.status, headers };
  } finally {
    await fastify.close();
  }
}

describe('the gateway security headers', () => {
  it.each([
    ['a plain-HTTP answer', false, '/page'],
    ['an HTTPS-only answer (HSTS, upgrade-insecure-requests)', true, '/page'],
    ['a 404', false, '/missing'],
    ['a route that sets its own policy', false, '/own-policy'],
  ])('are exactly what @fastify/helmet sends on %s', async (_, httpsOnly, url) => {
    const expected = await headersOf(async (f) => {
      await f.register(helmet, helmetOptions(httpsOnly));
    }, url);
    const actual = await headersOf((f) => useSecurityHeaders(f, helmetOptions(httpsOnly)), url);
    expect(actual).toEqual(expected);
    expect(Object.fromEntries(actual.headers)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    });
    expect(Object.fromEntries(actual.headers)['strict-transport-security'] !== undefined).toBe(httpsOnly);
  });
});
