import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';

/** The gateway's helmet settings: HSTS and upgrade-insecure-requests only over HTTPS (HTTPS_ONLY). */
export function helmetOptions(httpsOnly: boolean): FastifyHelmetOptions {
  return {
    // plain http://host:port must work
    hsts: httpsOnly,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'validator.swagger.io'],
        scriptSrc: ["'self'"],
        upgradeInsecureRequests: httpsOnly ? [] : null,
      },
    },
  };
}

/**
 * The headers @fastify/helmet sets with these options, read once from a throwaway instance. They depend
 * on nothing in the request (no nonces, no per-route settings here), while the plugin rebuilds helmet's
 * middleware and re-parses the CSP directives on every request (about 3 % of a request in bench/gateway).
 */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<[string, string | string[]][]> {
  const probe = Fastify();
  await probe.register(helmet, options);
  const seen = new Promise<[string, string | string[]][]>((resolve) => {
    probe.addHook('onRequest', (_request, reply, done) => {
      // as helmet spells them (raw names keep their case on the wire)
      // getRawHeaderNames is Node's (since 15.13), missing from the typings in use
      const raw = reply.raw as typeof reply.raw & { getRawHeaderNames(): string[] };
      resolve(
        raw.getRawHeaderNames().map((name) => {
          const value = reply.raw.getHeader(name)!;
          return [name, Array.isArray(value) ? value : String(value)];
        }),
      );
      done();
    });
  });
  probe.get('/', (_request, reply) => reply.send(''));
  await probe.ready();
  // One request through the probe's router, no socket: the answer stays in the unsent response.
  const request = new IncomingMessage(new Socket());
  request.method = 'GET';
  request.url = '/';
  probe.routing(request, new ServerResponse(request));
  const headers = await seen;
  await probe.close();
  if (headers.length === 0) throw new Error('helmet set no headers on the probe');
  return headers;
}

/** Sends helmet's headers on every answer (404s and errors included), set where the plugin sets them. */
export async function useSecurityHeaders(
  fastify: FastifyInstance,
  options: FastifyHelmetOptions,
): Promise<void> {
  const headers = await helmetHeaders(options);
  fastify.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
}
