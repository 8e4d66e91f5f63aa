import type { Params } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import type { LogLevel } from '../config/common-env';
import { currentRequestContext, type LoggedRequest } from './request-context';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fields never written to a log line. */
const SECRET_FIELDS = [
  'password',
  'oldPassword',
  'newPassword',
  'secret',
  'secretKey',
  'token',
  'accessToken',
  'refreshToken',
  'passwordHash',
];

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.secretkey',
  'req.headers.accesstoken',
  'req.headers["x-workflow-secret"]',
  // at the top of a line (`logger.warn({ password }, …)`) and one level down (`*.` matches only that)
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
];

/**
 * nestjs-pino's logger for both apps, without its per-request middleware: pino-http made two child
 * loggers per request (serializing and redacting their bindings) and ran through middie even when the
 * level wrote nothing for the request. A line written while a request is served names it from the
 * request context instead, built only when a line is written; the access log is `logRequests()`.
 */
export function pinoOptions(app: string, level: LogLevel, pretty: boolean): Params {
  return {
    pinoHttp: {
      name: app,
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      // Every line written while a request or link command is served names its request id; an HTTP
      // request's lines also name the request (`req`, and `correlationId` as pino-http wrote it).
      mixin: () => {
        const context = currentRequestContext();
        if (!context) return {};
        const { requestId, request } = context;
        return request ? { requestId, correlationId: requestId, req: request } : { requestId };
      },
      serializers: {
        req: (req: LoggedRequest) => ({
          id: req.id,
          method: req.method,
          // the path as the client sent it; seed-004 type lists may carry the token in the query string
          url: (req.originalUrl || req.url).replace(/([?&]accessToken=)[^&]*/gi, '$1[redacted]'),
        }),
        // pino-http wraps this: it receives pino's view of the response (statusCode already null when no
        // headers went out, no headersSent), so only an explicit headersSent: false means "not answered"
        res: (res: { statusCode: number | null; headersSent?: boolean }) => ({
          statusCode: res.headersSent === false ? null : res.statusCode,
        }),
        err: stdSerializers.err,
      },
      transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    },
    forRoutes: [],
  };
}
