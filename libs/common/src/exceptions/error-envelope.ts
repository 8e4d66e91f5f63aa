import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { CommandValidationError, ErrorCode, HTTP_STATUS_BY_CODE, type FieldError } from '@app/contracts';
import { AppException } from './app.exception';
import { RateLimitedException } from './rate-limited.exception';
import { messageFor, type Language } from './messages';

export interface ErrorEnvelope {
  code: ErrorCode;
  msg: string;
  data: null;
  /** Stable string code of the failure, e.g. `TASK_ALREADY_COMPLETED`. */
  reason: string;
  errors?: FieldError[];
  /** Present on internal errors: the same id is in the log line. */
  errorId?: string;
}

export interface ErrorAnswer {
  status: number;
  body: ErrorEnvelope;
  /** Set when the error is ours (a bug or an outage) and must be logged with its stack. */
  internal?: unknown;
  /** A 429 from a rate limit: sent as the `Retry-After` header. */
  retryAfterSeconds?: number;
}

const FASTIFY_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_ERR_CTP_INVALID_JSON_BODY: ErrorCode.InvalidParameter,
  FST_ERR_CTP_EMPTY_JSON_BODY: ErrorCode.InvalidParameter,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ErrorCode.WrongCall,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ErrorCode.WrongCall,
  FST_ERR_VALIDATION: ErrorCode.InvalidParameter,
  FST_REQ_FILE_TOO_LARGE: ErrorCode.PayloadTooLarge,
  FST_FILES_LIMIT: ErrorCode.PayloadTooLarge,
  FST_PARTS_LIMIT: ErrorCode.PayloadTooLarge,
  FST_INVALID_MULTIPART_CONTENT_TYPE: ErrorCode.WrongCall,
};

const HTTP_STATUS_CODES: Record<number, ErrorCode> = {
  400: ErrorCode.WrongCall,
  401: ErrorCode.InvalidToken,
  403: ErrorCode.NoPermission,
  404: ErrorCode.NotFound,
  405: ErrorCode.WrongCall,
  409: ErrorCode.Conflict,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.WrongCall,
  429: ErrorCode.TooManyRequests,
};

function answer(
  code: ErrorCode,
  reason: string,
  language: Language,
  detail?: string,
  errors?: FieldError[],
): ErrorAnswer {
  const base = messageFor(code, language);
  const msg = detail && detail !== reason ? `${base}: ${detail}` : base;
  return {
    status: HTTP_STATUS_BY_CODE[code],
    body: { code, msg, data: null, reason, ...(errors?.length ? { errors } : {}) },
  };
}

/**
 * SQLSTATEs that only bad input can cause once the edge has checked it (a value the column's type
 * refuses): the caller's mistake, 4101, never a retryable 5003 or a 500.
 */
const BAD_INPUT_SQLSTATES: Record<string, string> = {
  '22P02': 'a value is not valid for its type',
  '22003': 'a number is out of range',
  '22021': 'a string holds an invalid byte sequence',
  '22001': 'a string is too long',
  '22P05': 'a string holds an unsupported character',
  '22007': 'a date or time is not valid',
  '22008': 'a date or time is out of range',
  '2201W': 'a limit is not valid',
  '2201X': 'an offset is not valid',
  '22023': 'a parameter value is not valid',
  '54001': 'the input is too complex',
};

/**
 * Integrity SQLSTATEs a request can still reach when a check the code makes before writing was missed or
 * raced: a value refused by a constraint is the caller's 4101 naming the column, not an outage.
 */
const INTEGRITY_SQLSTATES: Record<string, string> = {
  '23502': 'is required',
  '23503': 'refers to a record that does not exist',
  '23514': 'breaks a rule of the record',
};

/** A duplicate key, a deadlock or a serialization failure: another request won, 4090 (retry), not 5003. */
const CONFLICT_SQLSTATES: Record<string, { reason: string; detail: string }> = {
  '23505': { reason: 'DUPLICATE', detail: 'a record with the same key already exists' },
  '40001': { reason: 'CONCURRENT_UPDATE', detail: 'a concurrent change conflicted with this one; retry' },
  '40P01': { reason: 'CONCURRENT_UPDATE', detail: 'a concurrent change conflicted with this one; retry' },
};

interface DriverError {
  code?: unknown;
  column?: unknown;
  constraint?: unknown;
  detail?: unknown;
  driverError?: DriverError;
}

function sqlStateOf(error: unknown): { sqlState: string; driver: DriverError } | undefined {
  const e = error as DriverError | null;
  const driver = e?.driverError ?? e;
  return typeof driver?.code === 'string' ? { sqlState: driver.code, driver } : undefined;
}

/** The request's field behind a constraint's column (`customer_id` → `customerId`), or `request`. */
function fieldOf(driver: DriverError): string {
  const column =
    typeof driver.column === 'string'
      ? driver.column
      : typeof driver.detail === 'string'
        ? /^Key \(([a-z_][a-z0-9_]*)\)=/.exec(driver.detail)?.[1]
        : undefined;
  return column ? column.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()) : 'request';
}

/**
 * 23503 is raised both ways round: a row naming one that does not exist (the caller's 4101), and a delete
 * or key change of a row that others still name. The second is not bad input but the record in use (4090),
 * as is 23001, which PostgreSQL 16 and later raise instead when the key is ON DELETE RESTRICT.
 */
function isStillReferenced(state: { sqlState: string; driver: DriverError }): boolean {
  if (state.sqlState === '23001') return true;
  return (
    state.sqlState === '23503' &&
    typeof state.driver.detail === 'string' &&
    state.driver.detail.includes('referenced from table')
  );
}

const IN_USE = { reason: 'IN_USE', detail: 'other records still refer to this one' };

/**
 * The foreign key that refused a delete because other rows still name the record, or undefined: for a
 * repository that answers its own "in use" (the constraint tells which reference it was).
 */
export function stillReferencedBy(error: unknown): string | undefined {
  const state = sqlStateOf(error);
  if (!state || !isStillReferenced(state)) return undefined;
  return typeof state.driver.constraint === 'string' ? state.driver.constraint : undefined;
}

/** The field error of a database error that bad input caused, or undefined. */
export function badInputOf(error: unknown): FieldError | undefined {
  const state = sqlStateOf(error);
  if (!state || isStillReferenced(state)) return undefined;
  if (state.sqlState in BAD_INPUT_SQLSTATES)
    return { field: 'request', reason: BAD_INPUT_SQLSTATES[state.sqlState] };
  if (!(state.sqlState in INTEGRITY_SQLSTATES)) return undefined;
  const field = fieldOf(state.driver);
  return { field, reason: `${field} ${INTEGRITY_SQLSTATES[state.sqlState]}` };
}

/** The conflict a database error reports (a duplicate key, a lost race), or undefined. */
export function conflictOf(error: unknown): { reason: string; detail: string } | undefined {
  const state = sqlStateOf(error);
  if (!state) return undefined;
  return isStillReferenced(state) ? IN_USE : CONFLICT_SQLSTATES[state.sqlState];
}

/** Turns anything thrown while serving a request into the `{code,msg,data}` envelope (DESIGN §2). */
export function toErrorAnswer(error: unknown, language: Language): ErrorAnswer {
  const badInput = badInputOf(error);
  if (badInput)
    return answer(ErrorCode.InvalidParameter, 'INVALID_PARAMETER', language, undefined, [badInput]);
  const conflict = conflictOf(error);
  if (conflict) return answer(ErrorCode.Conflict, conflict.reason, language, conflict.detail);
  if (error instanceof CommandValidationError)
    return answer(ErrorCode.InvalidParameter, 'INVALID_PARAMETER', language, undefined, error.errors);
  if (error instanceof AppException) {
    if (error.code === ErrorCode.Internal || error.code === ErrorCode.DatabaseFailure)
      return internalAnswer(error, language);
    const coded = answer(error.code, error.reason, language, error.message, error.errors);
    if (error instanceof RateLimitedException) coded.retryAfterSeconds = error.retryAfterSeconds;
    return coded;
  }
  if (error instanceof HttpException) {
    // Nest's Fastify adapter wraps body-parsing errors (invalid JSON, too large) with the original as cause.
    const cause = error.cause as { code?: unknown } | undefined;
    if (typeof cause?.code === 'string' && cause.code in FASTIFY_ERRORS)
      return toErrorAnswer(cause, language);
    const status = error.getStatus();
    const code = HTTP_STATUS_CODES[status];
    if (!code) return internalAnswer(error, language);
    const reason =
      status === 404
        ? 'NOT_FOUND'
        : status === 429
          ? 'TOO_MANY_REQUESTS'
          : error.name.replace(/Exception$/, '').toUpperCase();
    return answer(code, reason, language, status === 404 ? undefined : error.message);
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_ERRORS) {
    const code = FASTIFY_ERRORS[fastifyCode];
    const detail =
      fastifyCode === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'body is not valid JSON' : (error as Error).message;
    const errors = code === ErrorCode.InvalidParameter ? [{ field: 'body', reason: detail }] : undefined;
    return answer(code, fastifyCode.replace(/^FST_(ERR_)?/, ''), language, detail, errors);
  }
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (
    typeof statusCode === 'number' &&
    statusCode >= 400 &&
    statusCode < 500 &&
    HTTP_STATUS_CODES[statusCode]
  ) {
    return answer(HTTP_STATUS_CODES[statusCode], 'BAD_REQUEST', language, (error as Error).message);
  }
  return internalAnswer(error, language);
}

/** SQLSTATE classes of a lost or refused connection (08, 57P0x) and socket errors on the way to PostgreSQL. */
const DATABASE_LINK_FAILURE = /^(08|57P0[1-4]|53300|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)/;

export function isDatabaseFailure(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (e?.name === 'QueryFailedError' || e?.name === 'ConnectionNotFoundError') return true;
  if (typeof e?.code === 'string' && DATABASE_LINK_FAILURE.test(e.code)) return true;
  const message = typeof e?.message === 'string' ? e.message : '';
  // 55000 is broad ("object not in prerequisite state"): only its refused-connection form counts
  if (e?.code === '55000') return message.includes('not currently accepting connections');
  return message.startsWith('Connection terminated');
}

function internalAnswer(error: unknown, language: Language): ErrorAnswer {
  const code =
    error instanceof AppException
      ? error.code
      : isDatabaseFailure(error)
        ? ErrorCode.DatabaseFailure
        : ErrorCode.Internal;
  // An error relayed from the workflow app keeps that app's id: it is the one in that app's log.
  const errorId = (error instanceof AppException && error.errorId) || randomUUID();
  return {
    status: HTTP_STATUS_BY_CODE[code],
    body: { code, msg: messageFor(code, language), data: null, reason: 'INTERNAL', errorId },
    internal: error,
  };
}
