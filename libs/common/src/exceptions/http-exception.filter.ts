import { ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorAnswer } from './error-envelope';
import { languageOf } from './messages';

/** Catch-all for HTTP: every error becomes the envelope; internals are logged with an error id, never sent. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const answer = toErrorAnswer(exception, languageOf(request.headers['accept-language']));
    if (answer.internal !== undefined) {
      this.logger.error(
        { err: answer.internal, errorId: answer.body.errorId, url: request.url },
        'request failed',
      );
    }
    if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', answer.retryAfterSeconds);
    // A route that answers HTML (the print view) has set its own content type: an error is JSON.
    void reply
      .status(answer.status)
      .header('content-type', 'application/json; charset=utf-8')
      .send(answer.body);
  }
}
