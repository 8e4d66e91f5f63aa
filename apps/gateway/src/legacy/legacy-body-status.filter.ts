import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { languageOf, toErrorAnswer } from '@app/common';

/** Transport failures keep their HTTP status on every surface. */
const TRANSPORT = new Set<ErrorCode>([
  ErrorCode.PayloadTooLarge,
  ErrorCode.TooManyRequests,
  ErrorCode.Internal,
  ErrorCode.DatabaseFailure,
]);

/**
 * Seeds 000, 001 and 002 clients read the body, not the status: business failures answer
 * HTTP 200 with the platform's `{code,msg,data}` error body.
 */
@Catch()
export class LegacyBodyStatusFilter implements ExceptionFilter {
  private readonly logger = new Logger('LegacyBodyStatusFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const answer = toErrorAnswer(exception, languageOf(request.headers['accept-language']));
    if (answer.internal !== undefined) {
      this.logger.error(
        { err: answer.internal, errorId: answer.body.errorId, url: request.url },
        'request failed',
      );
    }
    const status = TRANSPORT.has(answer.body.code) ? answer.status : 200;
    void http.getResponse<FastifyReply>().status(status).send(answer.body);
  }
}
