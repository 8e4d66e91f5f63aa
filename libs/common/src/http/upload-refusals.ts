import {
  BadRequestException,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  PayloadTooLargeException,
} from '@nestjs/common';
import { catchError, type Observable, throwError } from 'rxjs';
import { AppException } from '../exceptions/app.exception';

/**
 * busboy's own errors, plain Errors with no code: a body cut short while a handler reads the stream, or a
 * `multipart/form-data` content type without a boundary (thrown as the parser starts: a 500 before).
 */
const TRUNCATED_MULTIPART =
  /^Unexpected end of (multipart data|form)$|terminated early|^Multipart: Boundary not found$/;

/**
 * A malformed upload is a bad parameter of its route (4101 naming the field), like a disguised file:
 * oversize, a file under another field name, a second file, too many fields or a multipart body cut
 * short (4000 without a field, 413, or a 500 before). Nest's multipart interceptors report these as
 * PayloadTooLarge / BadRequest exceptions, busboy some as plain Errors; the upload interceptors' own
 * refusals (the gateway's uploads/file-upload.ts) are AppExceptions and pass unchanged.
 * Put it before the multipart interceptor: `UseInterceptors(new UploadRefusals('…'), SingleFileUpload)`.
 */
export class UploadRefusals implements NestInterceptor {
  /** @param limit how the size limit reads in the refusal (an environment variable or a size) */
  constructor(private readonly limit: string) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(catchError((error: unknown) => throwError(() => this.refusal(error))));
  }

  private refusal(error: unknown): unknown {
    if (error instanceof PayloadTooLargeException) return uploadRefusal.tooLarge(this.limit);
    if (error instanceof Error && TRUNCATED_MULTIPART.test(error.message))
      return uploadRefusal.malformed(error.message);
    if (!(error instanceof BadRequestException)) return error;
    const message = error.message;
    const unexpected = /^Unexpected file field - (.+)$/.exec(message);
    if (unexpected) return uploadRefusal.unexpectedField(unexpected[1]!);
    if (message === 'Too many files') return uploadRefusal.oneFile();
    return uploadRefusal.malformed(message);
  }
}

/** The refusals of a malformed upload, one wording for every upload route and interceptor. */
export const uploadRefusal = {
  /** @param limit how the size limit reads (an environment variable or a size) */
  tooLarge: (limit: string) =>
    AppException.invalid([{ field: 'file', reason: `the file is larger than allowed (${limit})` }]),
  unexpectedField: (field: string) =>
    AppException.invalid([
      { field, reason: 'unexpected file field; send the file as multipart field `file`' },
    ]),
  oneFile: () => AppException.invalid([{ field: 'file', reason: 'send exactly one file per request' }]),
  malformed: (message: string) =>
    AppException.invalid([{ field: 'body', reason: `malformed multipart body: ${message}` }]),
};

export const ACCEPTS_MULTIPART = 'flowdesk:http:accepts-multipart';

/**
 * Marks an upload route: only these take `multipart/form-data`. Elsewhere the body of a multipart
 * request is never parsed, so its fields would vanish and the route answer as if none were sent
 * (`taskId is required`); HttpEdgeInterceptor refuses it instead (4101 on `body`).
 */
export const AcceptsMultipart = () => SetMetadata(ACCEPTS_MULTIPART, true);
