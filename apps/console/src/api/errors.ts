import { localizeReason } from './field-reasons';

export interface FieldError {
  field: string;
  reason: string;
}

/** A failed envelope: `{code, msg, errors?}` with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 4101 errors by field, for showing each on its input, in the console's language. */
  byField(prefix = ''): Record<string, string> {
    const out: Record<string, string> = {};
    for (const { field, reason: sentence } of this.errors) {
      const key = prefix && field.startsWith(prefix) ? field.slice(prefix.length) : field;
      const reason = localizeReason(field, sentence);
      out[key] = out[key] ? `${out[key]}; ${reason}` : reason;
    }
    return out;
  }
}

interface Result<T> {
  data?: { data: T } | undefined;
  error?: unknown;
  response: Response;
}

/** The envelope's `data`, or an ApiError carrying its code, message and field errors. */
export function unwrap<T>(result: Result<T>): T {
  if (result.data !== undefined && result.response.ok) return result.data.data;
  const body = (result.error ?? {}) as { code?: unknown; msg?: unknown; errors?: unknown };
  throw new ApiError(
    result.response.status,
    typeof body.code === 'number' ? body.code : result.response.status,
    typeof body.msg === 'string' ? body.msg : result.response.statusText || `HTTP ${result.response.status}`,
    Array.isArray(body.errors) ? (body.errors as FieldError[]) : [],
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
