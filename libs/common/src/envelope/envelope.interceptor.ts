import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ErrorCode } from '@app/contracts';
import { languageOf, messageFor } from '../exceptions/messages';
import { JsonText } from '../link/json-text';

export interface Envelope<T> {
  code: ErrorCode.Ok;
  msg: string;
  data: T;
}

const RAW_RESPONSE = 'flowdesk:raw-response';
const JSON_TYPE = 'application/json; charset=utf-8';
/** Opt a route out of the envelope (legacy surfaces with their own shape, printable HTML). */
export const RawResponse = () => SetMetadata(RAW_RESPONSE, true);

/** Wraps every successful HTTP answer as `{ code: 200, msg, data }` (DESIGN §2). */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  /**
   * RawResponse by controller class and handler (metadata does not change once the app runs; inherited
   * route methods are one function shared by several controllers, so the class is part of the key).
   */
  private readonly raw = new WeakMap<object, WeakMap<object, boolean>>();

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const handler = context.getHandler();
    const controller = context.getClass();
    let byHandler = this.raw.get(controller);
    if (!byHandler) this.raw.set(controller, (byHandler = new WeakMap()));
    let raw = byHandler.get(handler);
    if (raw === undefined) {
      raw = this.reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [handler, controller]) ?? false;
      byHandler.set(handler, raw);
    }
    if (raw) return next.handle();
    const http = context.switchToHttp();
    const language = languageOf(http.getRequest<FastifyRequest>().headers['accept-language']);
    return next.handle().pipe(
      map((data: unknown): Envelope<unknown> | string => {
        const msg = messageFor(ErrorCode.Ok, language);
        if (!(data instanceof JsonText)) return { code: ErrorCode.Ok, msg, data: data ?? null };
        // the bytes JSON.stringify gives for the envelope of the parsed value, with the content type Fastify sets
        void http.getResponse<FastifyReply>().type(JSON_TYPE);
        return `{"code":${ErrorCode.Ok},"msg":${JSON.stringify(msg)},"data":${data.text}}`;
      }),
    );
  }
}
