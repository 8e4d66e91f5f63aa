import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppException } from '../exceptions/app.exception';
import { toErrorAnswer } from '../exceptions/error-envelope';
import { languageOf } from '../exceptions/messages';

/**
 * Fastify's `frameworkErrors`: failures its router meets before any route or Nest filter runs (a path
 * whose percent-encoding is not valid UTF-8, `FST_ERR_BAD_URL`) are answered in the error envelope like
 * every other refusal, 4101 naming the path, instead of Fastify's own `{statusCode,error,message}`.
 */
export function answerFrameworkError(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const language = languageOf(request.headers['accept-language']);
  const refused =
    error.code === 'FST_ERR_BAD_URL'
      ? AppException.invalid([{ field: 'path', reason: 'the URL is not valid percent-encoded UTF-8' }])
      : error;
  const { status, body } = toErrorAnswer(refused, language);
  void reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}
