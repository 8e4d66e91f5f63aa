import {
  ArgumentsHost,
  Catch,
  type RpcExceptionFilter as NestRpcExceptionFilter,
  Logger,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { throwError, type Observable } from 'rxjs';
import { CommandValidationError, ErrorCode, type RpcErrorPayload } from '@app/contracts';
import { AppException } from './app.exception';

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
    const errorId = randomUUID();
    const pattern = host.switchToRpc().getContext<{ getPattern?: () => string }>()?.getPattern?.();
    this.logger.error({ err: exception, errorId, pattern }, 'command failed');
    return { code: ErrorCode.Internal, reason: 'INTERNAL', msg: 'internal error', errorId };
  }
}
