import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics of one Flowdesk process. Metrics are process-wide (as prom-client intends), so any
 * code can observe without wiring; `initMetrics` labels them with the app and adds Node's own.
 */
export const registry = new Registry();

let initialised: string | undefined;
export function initMetrics(app: 'gateway' | 'workflow'): void {
  if (initialised) return;
  initialised = app;
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry, prefix: 'flowdesk_' });
}

// 1 ms … 10 s: HTTP, commands and engine steps all fall in this range.
const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequestSeconds = new Histogram({
  name: 'flowdesk_http_request_duration_seconds',
  help: 'HTTP requests by method, route template and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const workflowClientSeconds = new Histogram({
  name: 'flowdesk_workflow_client_duration_seconds',
  help: 'Gateway side of workflow commands (link included) by pattern and outcome (ok or error code)',
  labelNames: ['pattern', 'outcome'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const workflowCommandSeconds = new Histogram({
  name: 'flowdesk_workflow_command_duration_seconds',
  help: 'Commands handled by this workflow replica by pattern and outcome (ok or error code)',
  labelNames: ['pattern', 'outcome'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const engineStepSeconds = new Histogram({
  name: 'flowdesk_engine_step_duration_seconds',
  help: 'BPMN engine work of one step (start, or recover + apply a command), without the database',
  labelNames: ['operation'] as const,
  buckets: SECONDS,
  registers: [registry],
});

export const hotEnginesTotal = new Counter({
  name: 'flowdesk_workflow_hot_engines_total',
  help: 'Engine steps on running instances by how the engine was found: hit (kept in memory at the row version read under the lock), stale (kept at another version, dropped), unfit (kept, but a due timer or a countersign change needs a recovery), miss (not kept)',
  labelNames: ['result'] as const,
  registers: [registry],
});

export const workflowEventsTotal = new Counter({
  name: 'flowdesk_workflow_events_total',
  help: 'Workflow events the gateway consumed, by topic and outcome (handled, duplicate, failed = retried with backoff, dead_letter = parked after the last attempt)',
  labelNames: ['topic', 'outcome'] as const,
  registers: [registry],
});

export const workflowEventRetriesTotal = new Counter({
  name: 'flowdesk_workflow_event_retries_total',
  help: 'Workflow events delivered again after a failed or unacknowledged attempt, by topic',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const pollingRoundsTotal = new Counter({
  name: 'flowdesk_polling_rounds_total',
  help: 'Rounds of the polling workers (due jobs, SLA steps, event consumer, sends, webhooks, purges), by worker and outcome (worked, idle, failed)',
  labelNames: ['worker', 'outcome'] as const,
  registers: [registry],
});

/** A gauge read at scrape time (database figures): failures leave the series out instead of failing the scrape. */
export function scrapeGauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  read: (set: (labels: Partial<Record<L, string>>, value: number) => void) => Promise<void> | void,
): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        await read((labels, value) => this.set(labels, value));
      } catch {
        // the database is down: health says so; metrics still answer
      }
    },
  });
}

/** Seconds since `started` (from `process.hrtime.bigint()`). */
export function secondsSince(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e9;
}

export const rateLimitedTotal = new Counter({
  name: 'flowdesk_rate_limited_total',
  help: 'Requests answered 429 by a rate limit, by route group (or login) and dimension (caller, ip, account)',
  labelNames: ['group', 'dimension'] as const,
  registers: [registry],
});

export const workflowEventDeadLettersTotal = new Counter({
  name: 'flowdesk_workflow_event_dead_letters_total',
  help: 'Workflow events given up on after their last allowed attempt (parked as dead letters), by topic',
  labelNames: ['topic'] as const,
  registers: [registry],
});

export const workflowEventReplaysTotal = new Counter({
  name: 'flowdesk_workflow_event_replays_total',
  help: 'Dead-lettered workflow events sent back for delivery by an operator, by topic',
  labelNames: ['topic'] as const,
  registers: [registry],
});

/**
 * Hooks for the event consumers' bounded retries: call `eventRetried` when an event is delivered again,
 * `eventDeadLettered` when it is parked after its last attempt, `eventReplayed` when an operator sends a
 * dead letter back. Gauges of the parked count belong with the state (a scrape-time query, `scrapeGauge`).
 */
export const eventConsumerMetrics = {
  eventRetried(topic: string): void {
    workflowEventRetriesTotal.inc({ topic });
  },
  eventDeadLettered(topic: string, count = 1): void {
    workflowEventDeadLettersTotal.inc({ topic }, count);
  },
  eventReplayed(topic: string, count = 1): void {
    workflowEventReplaysTotal.inc({ topic }, count);
  },
};
