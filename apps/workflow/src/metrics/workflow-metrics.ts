import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  type OnModuleInit,
} from '@nestjs/common';
import { context as otelContext, trace } from '@opentelemetry/api';
import { Observable, tap } from 'rxjs';
import {
  extractTrace,
  scrapeGauge,
  secondsSince,
  SpanKind,
  SpanStatusCode,
  tracer,
  tracingOn,
  workflowCommandSeconds,
} from '@app/observability';
import { type JobFigures, MetricsRepository, type OutboxFigures } from './metrics.repository';

/** Where @MessagePattern keeps a handler's pattern (Nest's PATTERN_METADATA, not exported from the package root). */
const PATTERN_METADATA = 'microservices:pattern';

/** One query per scrape even though two gauges read it. */
function oncePerScrape<T>(read: () => Promise<T>): () => Promise<T> {
  let cached: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), value: read() };
    return cached.value;
  };
}

/**
 * Every command this replica handles: timed by pattern and outcome (the replica's share of the load), and
 * run inside a SERVER span continuing the gateway's trace from `meta.trace` (so one trace spans both apps).
 */
@Injectable()
export class CommandObservabilityInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const patterns = Reflect.getMetadata(PATTERN_METADATA, context.getHandler()) as unknown[] | undefined;
    const pattern = String(patterns?.[0] ?? 'unknown');
    if (!tracingOn()) {
      // No span to make: time the command only (a span object per command showed in the profile).
      const started = process.hrtime.bigint();
      const observe = (outcome: string) =>
        workflowCommandSeconds.observe({ pattern, outcome }, secondsSince(started));
      return next.handle().pipe(
        tap({
          complete: () => observe('ok'),
          error: (error: unknown) => observe(String((error as { code?: unknown } | null)?.code ?? 'error')),
        }),
      );
    }
    const meta = context.switchToRpc().getData<{ meta?: { trace?: unknown; requestId?: unknown } }>()?.meta;
    const parent = extractTrace(meta?.trace);
    return new Observable((subscriber) => {
      const started = process.hrtime.bigint();
      const span = tracer().startSpan(
        `workflow ${pattern}`,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'rpc.system': 'flowdesk-link',
            'rpc.method': pattern,
            ...(typeof meta?.requestId === 'string' ? { 'flowdesk.request_id': meta.requestId } : {}),
          },
        },
        parent,
      );
      const finish = (outcome: string) => {
        workflowCommandSeconds.observe({ pattern, outcome }, secondsSince(started));
        if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        span.end();
      };
      // Nest binds the handler to the async context current when handle() is called: call it inside the span.
      const subscription = otelContext.with(trace.setSpan(parent, span), () =>
        next.handle().subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            finish(String((error as { code?: unknown } | null)?.code ?? 'error'));
            subscriber.error(error);
          },
          complete: () => {
            finish('ok');
            subscriber.complete();
          },
        }),
      );
      return () => subscription.unsubscribe();
    });
  }
}

/** Outbox backlog and age, due-job lag and failed jobs, read from the database at scrape time. */
@Injectable()
export class WorkflowGauges implements OnModuleInit {
  private static registered = false;

  constructor(private readonly repository: MetricsRepository) {}

  onModuleInit(): void {
    if (WorkflowGauges.registered) return;
    WorkflowGauges.registered = true;
    const outbox = oncePerScrape<OutboxFigures>(() => this.repository.outbox());
    const jobs = oncePerScrape<JobFigures>(() => this.repository.jobs());
    scrapeGauge('flowdesk_outbox_events', 'Undelivered workflow events by state', ['state'], async (set) => {
      const figures = await outbox();
      set({ state: 'backlog' }, figures.backlog);
      set({ state: 'retrying' }, figures.retrying);
    });
    scrapeGauge(
      'flowdesk_outbox_oldest_age_seconds',
      'Age of the oldest undelivered event',
      [],
      async (set) => {
        set({}, (await outbox()).oldestAgeSeconds);
      },
    );
    scrapeGauge(
      'flowdesk_due_jobs',
      'Timer and SLA jobs: due and not yet fired, or failed',
      ['state'],
      async (set) => {
        const figures = await jobs();
        set({ state: 'due' }, figures.due);
        set({ state: 'failed' }, figures.failed);
      },
    );
    scrapeGauge(
      'flowdesk_due_job_lag_seconds',
      'How long the oldest due job has waited past its due time (0 when none is late)',
      [],
      async (set) => set({}, (await jobs()).lagSeconds),
    );
  }
}
