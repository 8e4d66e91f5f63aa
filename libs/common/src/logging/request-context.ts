import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';

/** What a log line and an outgoing link message need to know about the request being served. */
export interface RequestContext {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** The id of the request being served (the gateway's `x-request-id`, carried in the link's `meta`). */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}

export function runInRequestContext<T>(context: RequestContext, work: () => T): T {
  return storage.run(context, work);
}

/** HTTP side: Fastify has set `request.id` from `x-request-id` (or a fresh UUID) before this runs. */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(request: { id?: string }, _reply: unknown, next: () => void): void {
    if (!request.id) return next();
    runInRequestContext({ requestId: request.id }, next);
  }
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
