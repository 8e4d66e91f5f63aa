import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { ClientProxy } from '@nestjs/microservices';
import { firstValueFrom, timeout, TimeoutError } from 'rxjs';
import {
  ErrorCode,
  isRpcErrorPayload,
  isValidatedCommand,
  type WorkflowCommandOf,
  WorkflowPattern,
  type WorkflowReplyOf,
} from '@app/contracts';
import { AppException, currentRequestId, JsonText, parsedReply } from '@app/common';
import {
  inSpan,
  injectTrace,
  secondsSince,
  SpanKind,
  type TraceCarrier,
  workflowClientSeconds,
} from '@app/observability';
import { NamedUsers } from './named-users';

export const WORKFLOW_TRANSPORT = Symbol('WORKFLOW_TRANSPORT');

export interface WorkflowClientOptions {
  timeoutMs: number;
  linkSecret?: string;
}
export const WORKFLOW_CLIENT_OPTIONS = Symbol('WORKFLOW_CLIENT_OPTIONS');

/**
 * Wire shape of every message: `meta` for the link, `body` the command. `meta.validated` says the body
 * came out of `Command.create()`, so the workflow app does not validate it again; `meta.reply = 'json'` asks
 * for the reply as JSON text (`relay`).
 */
export interface WorkflowMessage<T> {
  meta: { secret?: string; requestId?: string; trace?: TraceCarrier; validated?: true; reply?: 'json' };
  body: T;
}

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * NATS failures that mean "no workflow replica can answer now": the server unreachable or reconnecting,
 * or no subscriber in the queue group (NATS answers "no responders" at once, Nest reports an empty response).
 */
const NATS_UNREACHABLE = new Set([
  'ConnectionError',
  'ClosedConnectionError',
  'DrainingConnectionError',
  'EmptyResponseException',
]);

/**
 * The only way the gateway talks to the workflow app: typed by `WorkflowContract`, bounded by a
 * timeout, and every failure turned into a coded AppException (never a hang, never a bare 500).
 * The underlying Nest TCP client reconnects on the next call after the workflow app comes back; over NATS
 * any replica of the queue group answers, and none at all is a quick 5004.
 */
@Injectable()
export class WorkflowClient implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowClient.name);

  constructor(
    @Inject(WORKFLOW_TRANSPORT) private readonly transport: ClientProxy,
    @Inject(WORKFLOW_CLIENT_OPTIONS) private readonly options: WorkflowClientOptions,
    private readonly namedUsers: NamedUsers,
  ) {}

  async send<P extends WorkflowPattern>(
    pattern: P,
    command: WorkflowCommandOf<P>,
    context: { requestId?: string; timeoutMs?: number } = {},
  ): Promise<WorkflowReplyOf<P>> {
    return parsedReply(await this.request(pattern, command, context, false));
  }

  /**
   * `send` for an answer the gateway passes to HTTP as it is: the reply may come as JSON text, which the
   * envelope splices without parsing and serializing it again (a page of tasks is ~10 KB of JSON). The
   * workflow app decides and checks as for `send`; an older one, or NATS, answers the value itself.
   */
  async relay<P extends WorkflowPattern>(
    pattern: P,
    command: WorkflowCommandOf<P>,
  ): Promise<WorkflowReplyOf<P> | JsonText> {
    return this.request(pattern, command, {}, true);
  }

  private async request<P extends WorkflowPattern>(
    pattern: P,
    command: WorkflowCommandOf<P>,
    context: { requestId?: string; timeoutMs?: number },
    asJsonText: boolean,
  ): Promise<WorkflowReplyOf<P> | JsonText> {
    await this.namedUsers.check(pattern, command);
    // The HTTP request's id goes along by default, so both apps' log lines and spans name the same request.
    const requestId = context.requestId ?? currentRequestId();
    const limit = context.timeoutMs ?? this.options.timeoutMs;
    return inSpan(
      `workflow ${pattern}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'rpc.system': 'flowdesk-link',
          'rpc.method': pattern,
          ...(requestId ? { 'flowdesk.request_id': requestId } : {}),
        },
      },
      async () => {
        const message: WorkflowMessage<WorkflowCommandOf<P>> = {
          meta: {
            secret: this.options.linkSecret,
            requestId,
            trace: injectTrace(),
            ...(isValidatedCommand(command) ? { validated: true as const } : {}),
            ...(asJsonText ? { reply: 'json' as const } : {}),
          },
          body: command,
        };
        const started = process.hrtime.bigint();
        try {
          const reply = await firstValueFrom(
            this.transport.send<WorkflowReplyOf<P> | JsonText>(pattern, message).pipe(timeout(limit)),
          );
          workflowClientSeconds.observe({ pattern, outcome: 'ok' }, secondsSince(started));
          return reply;
        } catch (error) {
          const failure = this.translate(error, pattern, limit);
          workflowClientSeconds.observe({ pattern, outcome: String(failure.code) }, secondsSince(started));
          throw failure;
        }
      },
    );
  }

  private translate(error: unknown, pattern: string, limit: number): AppException {
    if (isRpcErrorPayload(error)) {
      return new AppException(error.code, error.reason, error.msg, error.errors, error.errorId);
    }
    if (error instanceof TimeoutError) {
      this.logger.warn({ pattern, limit }, 'workflow app did not answer in time');
      return new AppException(
        ErrorCode.WorkflowUnavailable,
        'WORKFLOW_TIMEOUT',
        `no answer within ${limit} ms`,
      );
    }
    const code = (error as { code?: string } | null)?.code;
    const message = (error as Error | null)?.message ?? String(error);
    const kind = (error as Error | null)?.constructor?.name ?? '';
    if (
      (code && UNREACHABLE.has(code)) ||
      NATS_UNREACHABLE.has(kind) ||
      message === 'Connection closed' ||
      message.startsWith('Error: Connection lost') // Nest's NATS client while it reconnects (a string)
    ) {
      this.logger.warn({ pattern, code: code ?? message }, 'workflow app unreachable');
      return new AppException(
        ErrorCode.WorkflowUnavailable,
        'WORKFLOW_UNAVAILABLE',
        'cannot reach the workflow service',
      );
    }
    this.logger.error({ err: error, pattern }, 'unexpected workflow link failure');
    return new AppException(ErrorCode.WorkflowUnavailable, 'WORKFLOW_LINK_FAILURE', 'workflow link failure');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}
