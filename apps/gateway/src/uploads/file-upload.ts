import { Readable } from 'node:stream';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  mixin,
  type NestInterceptor,
  type OnModuleInit,
  type Type,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { MultipartFileStream, UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { catchError, concatMap, from, type Observable, throwError } from 'rxjs';
import { AppException, uploadRefusal } from '@app/common';
import { GatewayEnv } from '../config/gateway.env';

type PartIterator = AsyncIterator<Multipart>;
/** Where `@UploadedFile()` reads on Fastify: an own property shadowing the plugin's `file()`. */
type UploadSlot = { file?: MultipartFileStream | UploadedMultipartFile; body?: unknown };

const FIELD = 'file';
const FIELD_LIMITS = { fields: 10, fieldSize: 64 * 1024 };

/**
 * The one file of an upload (multipart field `file`), streamed to the handler. Nest's
 * FileStreamInterceptor stops parsing at the first file and discards the rest of the body, so a second
 * file was dropped without a word. Here the handler's stream ends only once the whole body has been read:
 * a second file fails it (4101 on `file`, one file per request on every record type, as the answer is
 * one attachment), so the store drops what it wrote and nothing is recorded. Text fields are ignored
 * (bounded by `fields`); a file under another name is 4101 naming that field; past UPLOAD_LIMIT_BYTES
 * the stream fails (4101 on `file`). What the handler leaves unread is drained by the rule for every
 * route (unread-body.ts).
 */
@Injectable()
export class SingleFileUpload implements NestInterceptor, OnModuleInit {
  constructor(
    private readonly config: GatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    useMultipart(this.adapterHost);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const slot = req as unknown as UploadSlot;
    slot.file = undefined;
    if (!req.isMultipart()) return next.handle();
    const fileSize = this.config.UPLOAD_LIMIT_BYTES;
    const parts = partsOf(req, fileSize);
    let file: MultipartFile | undefined;
    let stream: Readable | undefined;
    // a handler that refused before reading the file: stop parsing (the rest is drained before the answer)
    const settle = () => {
      if (stream && !stream.readableEnded) stream.destroy();
      if (file && !file.file.readableEnded) file.file.destroy();
    };
    return from(firstFile(parts)).pipe(
      catchError((error: unknown) => throwError(() => refusal(error))),
      concatMap((found) => {
        file = found;
        stream = file ? Readable.from(wholeBody(file, parts, fileSize)) : undefined;
        if (file && stream)
          slot.file = {
            fieldname: file.fieldname,
            originalname: file.filename,
            encoding: file.encoding,
            mimetype: file.mimetype,
            stream,
          } as MultipartFileStream;
        return next.handle();
      }),
      concatMap((result) => {
        settle();
        return [result];
      }),
      catchError((error: unknown) => {
        settle();
        return throwError(() => error);
      }),
    );
  }
}

/**
 * A small upload read whole before the handler (a BPMN file): the file `file` as a buffer
 * (`@UploadedFile()`), the text fields as the body. Nest's FileInterceptor read the body to its end before
 * it refused an oversized file, so an endless one was never answered; here the first byte past `maxBytes`
 * refuses it (4101 on `file`), as a second file or a file under another name does.
 * @param limit how the size limit reads in the refusal
 */
export function BufferedFileUpload(maxBytes: number, limit: string): Type<NestInterceptor> {
  @Injectable()
  class BufferedFileUploadMixin implements NestInterceptor, OnModuleInit {
    constructor(private readonly adapterHost: HttpAdapterHost) {}

    onModuleInit(): void {
      useMultipart(this.adapterHost);
    }

    async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
      const req = context.switchToHttp().getRequest<FastifyRequest>();
      const slot = req as unknown as UploadSlot;
      slot.file = undefined;
      if (!req.isMultipart()) return next.handle();
      try {
        const { file, fields } = await readWhole(partsOf(req, maxBytes), limit);
        slot.file = file;
        slot.body = fields;
      } catch (error) {
        throw refusal(error);
      }
      return next.handle();
    }
  }
  return mixin(BufferedFileUploadMixin);
}

/** Registers @fastify/multipart once (Nest's multipart interceptors do the same). */
function useMultipart(adapterHost: HttpAdapterHost): void {
  (adapterHost.httpAdapter as { useMultipart?: () => void } | undefined)?.useMultipart?.();
}

function partsOf(req: FastifyRequest, fileSize: number): PartIterator {
  const options = {
    limits: { fileSize, files: 1, ...FIELD_LIMITS },
    // UTF-8 part headers: a Chinese file name arrives as written
    defParamCharset: 'utf8',
    throwFileSizeLimit: false,
  } as Parameters<FastifyRequest['parts']>[0];
  return req.parts(options)[Symbol.asyncIterator]();
}

/** Parts up to the first file: text fields are skipped, a file under another name is refused. */
async function firstFile(parts: PartIterator): Promise<MultipartFile | undefined> {
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    const part = next.value;
    if (part.type !== 'file') continue;
    if (part.fieldname === FIELD) return part;
    part.file.resume();
    throw uploadRefusal.unexpectedField(part.fieldname);
  }
  return undefined;
}

/** The file's bytes, then the rest of the body read to its end: another file fails the stream. */
async function* wholeBody(file: MultipartFile, parts: PartIterator, fileSize: number) {
  try {
    failPastLimit(file, `UPLOAD_LIMIT_BYTES = ${fileSize}`);
    for await (const chunk of file.file as AsyncIterable<Buffer>) yield chunk;
    await refuseMoreFiles(parts);
  } catch (error) {
    throw refusal(error);
  }
}

/** Every part read: the file `file` into memory (refused at its first byte past `maxBytes`), the text fields. */
async function readWhole(parts: PartIterator, limit: string) {
  const fields: Record<string, string> = {};
  let file: UploadedMultipartFile | undefined;
  for (let next = await parts.next(); !next.done; next = await parts.next()) {
    const part = next.value;
    if (part.type === 'field') {
      // busboy cuts a value at `fieldSize`: a cut text would pass on as if it had been sent so
      if (part.valueTruncated)
        throw AppException.invalid([
          { field: part.fieldname, reason: `longer than ${FIELD_LIMITS.fieldSize} bytes` },
        ]);
      if (typeof part.value === 'string') fields[part.fieldname] = part.value;
      continue;
    }
    if (part.fieldname !== FIELD || file) {
      part.file.resume();
      throw part.fieldname !== FIELD
        ? uploadRefusal.unexpectedField(part.fieldname)
        : uploadRefusal.oneFile();
    }
    failPastLimit(part, limit);
    const chunks: Buffer[] = [];
    for await (const chunk of part.file as AsyncIterable<Buffer>) chunks.push(chunk);
    const buffer = Buffer.concat(chunks);
    file = {
      fieldname: part.fieldname,
      originalname: part.filename,
      encoding: part.encoding,
      mimetype: part.mimetype,
      size: buffer.length,
      buffer,
    } as UploadedMultipartFile;
  }
  return { file, fields };
}

/**
 * Past the size limit busboy truncates the file and skips the rest of its part, so the file's stream
 * ends only with the part: an endless file never. The limit fails the stream at once instead.
 */
function failPastLimit(part: MultipartFile, limit: string): void {
  const fail = () => part.file.destroy(uploadRefusal.tooLarge(limit));
  if (part.file.truncated) fail();
  else part.file.once('limit', fail);
}

async function refuseMoreFiles(parts: PartIterator): Promise<void> {
  for (let next = await parts.next(); !next.done; next = await parts.next())
    if (next.value.type === 'file') {
      next.value.file.resume();
      throw uploadRefusal.oneFile();
    }
}

/** @fastify/multipart's limit and format errors as 4101; busboy's own pass on to UploadRefusals. */
function refusal(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (code === 'FST_FILES_LIMIT') return uploadRefusal.oneFile();
  if (typeof code === 'string' && code.startsWith('FST_'))
    return uploadRefusal.malformed((error as Error).message);
  return error;
}
