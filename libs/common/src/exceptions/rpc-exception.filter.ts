import {
  ArgumentsHost,
  Catch,
  type RpcExceptionFilter as NestRpcExceptionFilter,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { throwError, type Observable } from 'rxjs';
import { CommandValidationError, ErrorCode, type RpcErrorPayload } from '@app/contracts';
import { linkRequestId } from '../logging/request-context';
import { AppException } from './app.exception';
import { badInputOf, conflictOf, isDatabaseFailure } from './error-envelope';

/**
 * Workflow side of the link: every failure travels back as a coded `RpcErrorPayload`, which the
 * gateway's client turns into the HTTP envelope. Unknown errors keep their details in this log only.
 */
@Catch()
export class RpcExceptionFilter implements NestRpcExceptionFilter {
  private readonly logger = new Logger('RpcExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toPayload(exception, host));
  }

  private toPayload(exception: unknown, host: ArgumentsHost): RpcErrorPayload {
    if (exception instanceof AppException) {
      return {
        code: exception.code,
        reason: exception.reason,
        msg: exception.message,
        errors: exception.errors,
      };
    }
    if (exception instanceof CommandValidationError) {
      return {
        code: ErrorCode.InvalidParameter,
        reason: 'INVALID_PARAMETER',
        msg: exception.message,
        errors: exception.errors,
      };
    }
    const badInput = badInputOf(exception);
    if (badInput)
      return {
        code: ErrorCode.InvalidParameter,
        reason: 'INVALID_PARAMETER',
        msg: badInput.reason,
        errors: [badInput],
      };
    const conflict = conflictOf(exception);
    if (conflict) return { code: ErrorCode.Conflict, reason: conflict.reason, msg: conflict.detail };
    const errorId = randomUUID();
    const rpc = host.switchToRpc();
    const pattern = rpc.getContext<{ getPattern?: () => string }>()?.getPattern?.();
    // The error id travels back to the client; the request id ties this line to the gateway's.
    const requestId = linkRequestId(rpc.getData());
    this.logger.error({ err: exception, errorId, pattern, requestId }, 'command failed');
    // A lost or refused database is an outage the caller may retry (5003), not a bug (500).
    if (isDatabaseFailure(exception))
      return {
        code: ErrorCode.DatabaseFailure,
        reason: 'DATABASE_FAILURE',
        msg: 'database failure',
        errorId,
      };
    return { code: ErrorCode.Internal, reason: 'INTERNAL', msg: 'internal error', errorId };
  }
}
