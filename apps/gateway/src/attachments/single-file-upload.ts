import { Readable } from 'node:stream';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { MultipartFileStream } from '@nestjs/platform-fastify/multipart';
import type { MultipartFile, Multipart } from '@fastify/multipart';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, concatMap, from, type Observable, throwError } from 'rxjs';
import { uploadRefusal } from '@app/common';
import { GatewayEnv } from '../config/gateway.env';

type PartIterator = AsyncIterator<Multipart>;
/** Where `@UploadedFile()` reads on Fastify: an own property shadowing the plugin's `file()`. */
type UploadSlot = { file?: MultipartFileStream };

const FIELD = 'file';

/**
 * The one file of an upload (multipart field `file`), streamed to the handler. Nest's
 * FileStreamInterceptor stops parsing at the first file and discards the rest of the body, so a second
 * file was dropped without a word. Here the handler's stream ends only once the whole body has been read:
 * a second file fails it (4101 on `file`, one file per request on every record type, as the answer is
 * one attachment), so the store drops what it wrote and nothing is recorded. Text fields are ignored
 * (bounded by the module's `fields` limit); a file under another name is 4101 naming that field; past
 * `fileSize` the stream fails (4101 on `file`). Whatever the handler leaves unread is drained before the
 * answer, so the client can finish sending and the connection stays usable — up to `fileSize` bytes: a
 * client that sends more is answered with `Connection: close` and the connection is then closed (it was
 * read to its end, so an endless body held the request until its timeout).
 */
@Injectable()
export class SingleFileUpload implements NestInterceptor, OnModuleInit {
  constructor(
    private readonly config: GatewayEnv,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    // registers @fastify/multipart once (Nest's multipart interceptors do the same)
    (this.adapterHost.httpAdapter as { useMultipart?: () => void } | undefined)?.useMultipart?.();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const slot = req as unknown as UploadSlot;
    slot.file = undefined;
    if (!req.isMultipart()) return next.handle();
    const fileSize = this.config.UPLOAD_LIMIT_BYTES;
    const options = {
      limits: { fileSize, files: 1, fields: 10, fieldSize: 64 * 1024 },
      // UTF-8 part headers: a Chinese file name arrives as written
      defParamCharset: 'utf8',
      throwFileSizeLimit: false,
    } as Parameters<FastifyRequest['parts']>[0];
    const parts = req.parts(options)[Symbol.asyncIterator]();
    let file: MultipartFile | undefined;
    try {
      file = await firstFile(parts);
    } catch (error) {
      await drain(req, reply, fileSize);
      throw refusal(error);
    }
    const stream = file ? Readable.from(wholeBody(file, parts, fileSize)) : undefined;
    if (file && stream)
      slot.file = {
        fieldname: file.fieldname,
        originalname: file.filename,
        encoding: file.encoding,
        mimetype: file.mimetype,
        stream,
      } as MultipartFileStream;
    const settle = () => {
      // a handler that refused before reading the file: stop parsing, then read the body to its end
      if (stream && !stream.readableEnded) stream.destroy();
      if (file && !file.file.readableEnded) file.file.destroy();
      return drain(req, reply, fileSize);
    };
    return next.handle().pipe(
      concatMap((result) => from(settle().then(() => result))),
      catchError((error: unknown) => from(settle()).pipe(concatMap(() => throwError(() => error)))),
    );
  }
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
  const tooLarge = () => uploadRefusal.tooLarge(`UPLOAD_LIMIT_BYTES = ${fileSize}`);
  try {
    for await (const chunk of file.file as AsyncIterable<Buffer>) {
      if (file.file.truncated) throw tooLarge();
      yield chunk;
    }
    if (file.file.truncated) throw tooLarge();
    for (let next = await parts.next(); !next.done; next = await parts.next())
      if (next.value.type === 'file') {
        next.value.file.resume();
        throw uploadRefusal.oneFile();
      }
  } catch (error) {
    throw refusal(error);
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

/** How long a closing connection still reads (and drops) what the client sends before it is closed. */
const LINGER_MS = 2_000;

/**
 * Reads the rest of the request, discarding it, to its end (or its close) — or until `budget` bytes more
 * have come: then the answer goes out with `Connection: close` and the connection is closed after it.
 */
function drain(req: FastifyRequest, reply: FastifyReply, budget: number): Promise<void> {
  const raw = req.raw;
  raw.unpipe();
  if (raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((done) => {
    let left = budget;
    const count = (chunk: Buffer) => {
      left -= chunk.length;
      if (left >= 0) return;
      // still flowing with no listener: what comes next is dropped while the answer is written
      raw.off('data', count);
      closeAfterAnswer(reply);
      done();
    };
    raw.on('data', count);
    raw.once('end', () => done());
    raw.once('close', () => done());
    raw.once('error', () => done());
    raw.resume();
  });
}

/**
 * `Connection: close` on the answer. Node then closes the socket as soon as the answer is flushed; with
 * the client still sending, that close resets the connection, and a reset can discard the answer before
 * the client reads it. So the socket lingers as web servers do: half-closed after the answer, it drops
 * what still arrives for LINGER_MS (or until the client closes), then closes.
 */
function closeAfterAnswer(reply: FastifyReply): void {
  reply.header('connection', 'close');
  const socket = reply.raw.socket as (Socket & { destroySoon?: () => void }) | null;
  if (!socket) return;
  socket.destroySoon = () => {
    socket.end();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
