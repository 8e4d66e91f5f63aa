import { type ArgumentsHost, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCode } from '@app/contracts';
import { type ErrorAnswer, languageOf, toErrorAnswer } from '@app/common';

/** Failures of the transport or of a dependency keep their HTTP status on every surface. */
const TRANSPORT = new Set<ErrorCode>([
  ErrorCode.PayloadTooLarge,
  ErrorCode.TooManyRequests,
  ErrorCode.Internal,
  ErrorCode.AuthServiceFailure,
  ErrorCode.CacheFailure,
  ErrorCode.DatabaseFailure,
  ErrorCode.WorkflowUnavailable,
  ErrorCode.UpstreamFailure,
]);

export interface LegacyFailure {
  answer: ErrorAnswer;
  /** A transport or dependency failure: answered with its own HTTP status. */
  transport: boolean;
  /** The message with every invalid field named: `<field>: <why>; …`. */
  msg: string;
}

/**
 * The legacy clients read the body, not the status: each seed surface answers business
 * failures with HTTP 200 and its own body shape, which subclasses give in `shape`.
 */
export abstract class LegacyExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(this.constructor.name);

  protected abstract shape(failure: LegacyFailure): unknown;

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
    const { errors } = answer.body;
    const msg = errors?.length ? errors.map((e) => `${e.field}: ${e.reason}`).join('; ') : answer.body.msg;
    const transport = TRANSPORT.has(answer.body.code);
    const reply = http.getResponse<FastifyReply>();
    if (answer.retryAfterSeconds !== undefined) void reply.header('retry-after', answer.retryAfterSeconds);
    void reply.status(transport ? answer.status : 200).send(this.shape({ answer, transport, msg }));
  }
}
