import { randomUUID } from 'node:crypto';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
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
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // seed-004 type lists may carry the token in the query string
          url: req.url.replace(/([?&]accessToken=)[^&]*/gi, '$1[redacted]'),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
    forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
  };
}
