import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { LoggedRequest } from './request-context';

/** Health probes are not logged. */
const UNLOGGED = '/api/v1/health';

interface Response {
  statusCode: number;
  headersSent?: boolean;
}

/**
 * The access log as Fastify hooks, with pino-http's lines: `request completed` at info, `request
 * errored` at error for a 5xx, `request aborted` at info when the client goes before the answer. Nothing
 * is built for a request whose line the level would drop.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    writeRequestLine(logger, request, reply.raw, reply.elapsedTime);
    done();
  });
  // Fastify listens for the abort on every request once the hook exists: only when the line is written.
  if (logger.isLevelEnabled('info')) {
    fastify.addHook('onRequestAbort', (request, done) => {
      writeRequestLine(logger, request, { statusCode: 0, headersSent: false }, undefined);
      done();
    });
  }
}

/** One access line; `elapsedMs` undefined when the request was aborted. */
export function writeRequestLine(
  logger: Logger,
  request: LoggedRequest,
  res: Response,
  elapsedMs: number | undefined,
): void {
  if (request.url.startsWith(UNLOGGED)) return;
  const failed = res.statusCode >= 500;
  const level = failed ? 'error' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  const line = {
    req: request,
    res,
    responseTime: Math.round(elapsedMs ?? 0),
    correlationId: request.id,
    requestId: request.id,
  };
  if (failed) {
    logger.error({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, 'request errored');
  } else {
    logger.info(line, elapsedMs === undefined ? 'request aborted' : 'request completed');
  }
}
