import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

/** The HTTP request a log line names (the `req` serializer in logger-options.ts reads it). */
export interface LoggedRequest {
  id: string;
  method: string;
  url: string;
  originalUrl?: string;
}

/** What a log line and an outgoing link message need to know about the request being served. */
export interface RequestContext {
  requestId: string;
  /** Set for an HTTP request: its log lines name it (`req`), as the access log line does. */
  request?: LoggedRequest;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request being served (the gateway's `x-request-id`, carried in the link's `meta`). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/**
 * HTTP side, as a Fastify `onRequest` hook registered after the one that settles `request.id` (from
 * `x-request-id` or a fresh UUID): every later hook, the body parser and the Nest handler run under it.
 * A hook rather than a Nest middleware, which costs middie's per-request path matching.
 */
export function requestContextHook(request: LoggedRequest, _reply: unknown, done: () => void): void {
  runInRequestContext({ requestId: request.id, request }, done);
}

/** The `meta.requestId` of a link message, if it has one. */
export function linkRequestId(data: unknown): string | undefined {
  const id = (data as { meta?: { requestId?: unknown } } | null)?.meta?.requestId;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/** Link side: a command runs (and logs) under the request id the gateway sent in `meta`. */
@Injectable()
export class LinkRequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const requestId =
      context.getType() === 'rpc' ? linkRequestId(context.switchToRpc().getData()) : undefined;
    if (!requestId) return next.handle();
    return new Observable((subscriber) =>
      runInRequestContext({ requestId }, () => next.handle().subscribe(subscriber)),
    );
  }
}
