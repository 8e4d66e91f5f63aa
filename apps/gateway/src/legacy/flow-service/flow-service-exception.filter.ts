import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { languageOf, toErrorAnswer } from '@app/common';

/** Transport failures keep their HTTP status. */
const TRANSPORT = new Set<ErrorCode>([
  ErrorCode.PayloadTooLarge,
  ErrorCode.TooManyRequests,
  ErrorCode.Internal,
  ErrorCode.DatabaseFailure,
]);

/**
 * Seed 002's failure body `{code,msg}` with HTTP 200 (its clients read the body, A-02): the platform
 * code (4004 token, 4001 denied, 404, 4090, 4101 …) and a message naming the field and the reason.
 * Successes keep the platform envelope `{code:200,msg,data}` (A-01: the seed documents no response).
 */
@Catch()
export class FlowServiceExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('FlowServiceExceptionFilter');

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
    const { code, errors, errorId } = answer.body;
    const msg = errors?.length ? errors.map((e) => `${e.field}: ${e.reason}`).join('; ') : answer.body.msg;
    const status = TRANSPORT.has(code) ? answer.status : 200;
    void http
      .getResponse<FastifyReply>()
      .status(status)
      .send(errorId ? { code, msg, errorId } : { code, msg });
  }
}
