/**
 * Platform error codes (DESIGN §2, from seed 004). The HTTP status of an answer always agrees with its code.
 * Do not renumber: clients and the legacy adapters depend on these values.
 */
export enum ErrorCode {
  Ok = 200,
  WrongCall = 4000,
  NoPermission = 4001,
  AccountDisabled = 4002,
  InvalidToken = 4004,
  NotFound = 404,
  InvalidParameter = 4101,
  UserNotFound = 4200,
  Conflict = 4090,
  PayloadTooLarge = 413,
  TooManyRequests = 429,
  AuthServiceFailure = 5001,
  CacheFailure = 5002,
  DatabaseFailure = 5003,
  WorkflowUnavailable = 5004,
  /** An outside system the platform calls for the request (ERP, DingTalk) failed or refused. */
  UpstreamFailure = 5005,
  Internal = 500,
}

/** A failing dependency (identity store, cache, database, workflow) is 503: the call may be retried. */
export const HTTP_STATUS_BY_CODE: Record<ErrorCode, number> = {
  [ErrorCode.Ok]: 200,
  [ErrorCode.WrongCall]: 400,
  [ErrorCode.NoPermission]: 403,
  [ErrorCode.AccountDisabled]: 403,
  [ErrorCode.InvalidToken]: 401,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.InvalidParameter]: 400,
  [ErrorCode.UserNotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PayloadTooLarge]: 413,
  [ErrorCode.TooManyRequests]: 429,
  [ErrorCode.AuthServiceFailure]: 503,
  [ErrorCode.CacheFailure]: 503,
  [ErrorCode.DatabaseFailure]: 503,
  [ErrorCode.WorkflowUnavailable]: 503,
  [ErrorCode.UpstreamFailure]: 502,
  [ErrorCode.Internal]: 500,
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'number' && value in HTTP_STATUS_BY_CODE;
}

/** One failed field of a request: which one and why. */
export interface FieldError {
  field: string;
  reason: string;
}

/**
 * What the workflow app sends back over TCP when a command fails; the gateway turns it into the
 * HTTP envelope. `reason` is a stable string code of the feature (e.g. `TASK_ALREADY_COMPLETED`).
 */
export interface RpcErrorPayload {
  code: ErrorCode;
  reason: string;
  msg: string;
  errors?: FieldError[];
  errorId?: string;
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as RpcErrorPayload).code) &&
    typeof (value as RpcErrorPayload).reason === 'string'
  );
}
