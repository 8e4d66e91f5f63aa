import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';

/** Seed 003's success envelope: `{code:0, msg, data}` (A-01). */
export interface SalesAssistantAnswer<T> {
  code: 0 | 1;
  msg: string;
  data: T;
}

const SUCCESS_MESSAGE = 'flowdesk:legacy-003:message';

/** The `msg` of a successful answer where the seed shows one other than 操作成功 (editComment: 编辑备注成功). */
export const SuccessMessage = (msg: string) => SetMetadata(SUCCESS_MESSAGE, msg);

/** A handler may answer a business failure itself (login: `{code:1,msg:"用户名或密码错误"}`). */
export class SalesAssistantFailure {
  constructor(readonly msg: string) {}
}

/**
 * Wraps what a seed-003 handler returns as `{code:0,msg,data}`. The controllers carry `@RawResponse()`
 * so the platform envelope stays out of the way.
 */
@Injectable()
export class SalesAssistantEnvelopeInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const msg =
      this.reflector.getAllAndOverride<string>(SUCCESS_MESSAGE, [context.getHandler(), context.getClass()]) ??
      '操作成功';
    return next
      .handle()
      .pipe(
        map((data: unknown): SalesAssistantAnswer<unknown> | { code: 1; msg: string } =>
          data instanceof SalesAssistantFailure
            ? { code: 1, msg: data.msg }
            : { code: 0, msg, data: data ?? null },
        ),
      );
  }
}
