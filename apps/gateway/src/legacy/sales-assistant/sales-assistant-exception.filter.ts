import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { languageOf, toErrorAnswer } from '@app/common';

/** Transport failures keep their HTTP status; everything else is a body the app reads. */
const TRANSPORT = new Set<ErrorCode>([
  ErrorCode.PayloadTooLarge,
  ErrorCode.TooManyRequests,
  ErrorCode.Internal,
  ErrorCode.DatabaseFailure,
]);

/** What seed 003 answers to a missing, invalid, expired or revoked token. */
export const BAD_TOKEN = { code: 500, msg: '不合法的token' } as const;

/**
 * Seed 003's failure bodies, on its paths only: a token failure is `{code:500,msg:"不合法的token"}`,
 * any other business failure `{code:1,msg}` with the field and the reason in `msg`, both HTTP 200.
 * The platform `/api/v1` keeps its 401 and envelope.
 */
@Catch()
export class SalesAssistantExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('SalesAssistantExceptionFilter');

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
    const { code, errors } = answer.body;
    if (TRANSPORT.has(code)) {
      void reply.status(answer.status).send({ code, msg: answer.body.msg, errorId: answer.body.errorId });
      return;
    }
    if (code === ErrorCode.InvalidToken) {
      void reply.status(200).send(BAD_TOKEN);
      return;
    }
    const msg = errors?.length ? errors.map((e) => `${e.field}: ${e.reason}`).join('; ') : answer.body.msg;
    void reply.status(200).send({ code: 1, msg });
  }
}
