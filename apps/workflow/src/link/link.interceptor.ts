import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import {
  acceptSenderValidation,
  EnvelopeInterceptor,
  JsonText,
  LinkRequestContextInterceptor,
  wantsJsonText,
} from '@app/common';
import { CommandObservabilityInterceptor } from '../metrics/workflow-metrics';

/**
 * The workflow app's one global interceptor (Nest adds an rxjs layer and an async resource per
 * interceptor, on every command): a link command is timed and traced (outermost), and runs under the
 * request id of its `meta`, and its body is only typed by the pipe when `meta.validated` says the gateway
 * validated it; a reply the gateway asked for as JSON text (`meta.reply`, for an answer it relays as it is)
 * is serialized here, once, and framed as it is; an HTTP answer (health, readiness) is wrapped in the envelope.
 */
@Injectable()
export class LinkInterceptor implements NestInterceptor {
  private readonly commands = new CommandObservabilityInterceptor();
  private readonly requestContext = new LinkRequestContextInterceptor();
  private readonly envelope: EnvelopeInterceptor;

  constructor(reflector: Reflector) {
    this.envelope = new EnvelopeInterceptor(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return this.envelope.intercept(context, next);
    const message = context.switchToRpc().getData();
    acceptSenderValidation(message);
    const handle = wantsJsonText(message)
      ? () => this.requestContext.intercept(context, next).pipe(map(asJsonText))
      : () => this.requestContext.intercept(context, next);
    return this.commands.intercept(context, { handle });
  }
}

/** `undefined` stays itself (no reply value), as Nest would frame it. */
function asJsonText(value: unknown): unknown {
  return value === undefined ? value : new JsonText(JSON.stringify(value));
}
