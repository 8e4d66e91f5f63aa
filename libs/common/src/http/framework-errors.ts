import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../exceptions/app.exception';
import { toErrorAnswer } from '../exceptions/error-envelope';
import { languageOf } from '../exceptions/messages';

const FRAMEWORK_REFUSALS: Record<string, string> = {
  FST_ERR_BAD_URL: 'the URL is not valid percent-encoded UTF-8',
  // the router's maxParamLength (100): no record key or id of the platform is that long
  FST_ERR_MAX_PARAM_LENGTH: 'a path parameter is longer than 100 characters',
};

/**
 * Fastify's `frameworkErrors`: failures its router meets before any route or Nest filter runs (a path
 * whose percent-encoding is not valid UTF-8, `FST_ERR_BAD_URL`; a path parameter over the router's
 * length limit, `FST_ERR_MAX_PARAM_LENGTH`, which answered 500) are answered in the error envelope like
 * every other refusal, 4101 naming the path, instead of Fastify's own `{statusCode,error,message}`.
 */
export function answerFrameworkError(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const language = languageOf(request.headers['accept-language']);
  const reason = FRAMEWORK_REFUSALS[error.code ?? ''];
  const refused = reason ? AppException.invalid([{ field: 'path', reason }]) : error;
  const { status, body } = toErrorAnswer(refused, language);
  void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}
