import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { LogLevel } from '../config/common-env';
import { currentRequestId } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fields never written to a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.secretkey',
  'req.headers.accesstoken',
  'req.headers["x-workflow-secret"]',
  '*.password',
  '*.oldPassword',
  '*.newPassword',
  '*.secret',
  '*.secretKey',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.passwordHash',
];

export function pinoOptions(app: string, level: LogLevel, pretty: boolean): Params {
  return {
    pinoHttp: {
      name: app,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Fastify assigns req.id from x-request-id (or a fresh UUID) before pino-http runs.
      // Every line written while a request or link command is served names its request id.
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      genReqId: (req) => (req as { id?: string }).id ?? randomUUID(),
      customProps: (req) => ({ correlationId: (req as { id?: string }).id }),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/api/v1/health') },
      // The serializers read the raw request and response themselves: wrapped (pino-http's default), the
      // standard ones ran first on every request, copying headers and asking the socket for the peer's
      // address and port, only for these three fields to be kept.
      wrapSerializers: false,
      serializers: {
        req: (req: { id: string; method: string; url: string; originalUrl?: string }) => ({
          id: req.id,
          method: req.method,
          // the path as the client sent it (middie keeps it in originalUrl); seed-004 type lists may
          // carry the token in the query string
          url: (req.originalUrl || req.url).replace(/([?&]accessToken=)[^&]*/gi, '$1[redacted]'),
        }),
        res: (res: { statusCode: number; headersSent?: boolean }) => ({
          statusCode: res.headersSent ? res.statusCode : null,
        }),
        err: stdSerializers.err,
      },
      transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
