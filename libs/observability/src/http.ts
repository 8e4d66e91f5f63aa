import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Context, context, propagation, ROOT_CONTEXT, type Span, trace } from '@opentelemetry/api';
import { httpRequestSeconds, registry } from './metrics';
import { SpanKind, SpanStatusCode, tracer } from './tracing';

/** Observes every HTTP answer by route template (never the raw URL: ids would explode the series). */
export function observeHttp(fastify: FastifyInstance): void {
  // a callback hook: an async one costs a promise per request
  fastify.addHook('onResponse', (request, reply, done) => {
    httpRequestSeconds.observe(
      {
        method: request.method,
        route: request.routeOptions?.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** GET /metrics on the app's own Fastify (outside Nest: no envelope, no auth guard); a token if configured. */
export function serveMetricsRoute(fastify: FastifyInstance, token?: string): void {
  fastify.get('/metrics', async (request: FastifyRequest, reply: FastifyReply) => {
    if (token && !tokenMatches(request.headers.authorization, token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .type('text/plain')
        .send('metrics token required\n');
    }
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

/** /metrics on a port of its own (e.g. not published by the load balancer). */
export async function serveMetricsPort(port: number, host: string, token?: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    if (token && !tokenMatches(request.headers.authorization, token)) {
      response.writeHead(401, { 'www-authenticate': 'Bearer' }).end('metrics token required\n');
      return;
    }
    registry.metrics().then(
      (body) => response.writeHead(200, { 'content-type': registry.contentType }).end(body),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  server.unref();
  return server;
}

const httpSpans = new WeakMap<object, { span: Span; parent: Context }>();

/**
 * One SERVER span per HTTP request (a child of the caller's `traceparent`, if any), named by route
 * template when the answer is sent. The span becomes the active context in preHandler,
 * after the body is read (stream callbacks would lose it), so everything the handler does is inside it.
 */
export function traceHttp(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const parent = propagation.extract(ROOT_CONTEXT, request.headers);
    const span = tracer().startSpan(
      `${request.method}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'url.path': request.url.split('?')[0],
          'flowdesk.request_id': request.id,
        },
      },
      parent,
    );
    httpSpans.set(request, { span, parent });
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    const entry = httpSpans.get(request);
    if (!entry) return done();
    context.with(trace.setSpan(entry.parent, entry.span), done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const entry = httpSpans.get(request);
    if (entry) {
      const route = request.routeOptions?.url;
      entry.span.updateName(route ? `${request.method} ${route}` : request.method);
      if (route) entry.span.setAttribute('http.route', route);
      entry.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
    }
    done();
  });
}
