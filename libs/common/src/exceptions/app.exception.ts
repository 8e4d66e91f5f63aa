import { ErrorCode, type FieldError } from '@app/contracts';

/**
 * The one domain exception shape: a numeric platform code (DESIGN §2), a stable string reason of the
 * feature, and optional field errors. Features subclass it (`StaffException`, `TaskException`, ...)
 * with their own reason enums; the filters map it to HTTP or RPC.
 */
export class AppException extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    message?: string,
    readonly errors?: FieldError[],
    /** Id of the failure in the log of the app where it happened (internal errors only). */
    readonly errorId?: string,
  ) {
    super(message ?? reason);
  }

  static notFound(what: string, id?: string | number): AppException {
    return new AppException(
      ErrorCode.NotFound,
      'NOT_FOUND',
      id === undefined ? `${what} not found` : `${what} ${id} not found`,
    );
  }

  static invalid(errors: FieldError[]): AppException {
    return new AppException(ErrorCode.InvalidParameter, 'INVALID_PARAMETER', undefined, errors);
  }

  static conflict(reason: string, message?: string): AppException {
    return new AppException(ErrorCode.Conflict, reason, message);
  }

  static forbidden(reason = 'NO_PERMISSION', message?: string): AppException {
    return new AppException(ErrorCode.NoPermission, reason, message);
  }
}
