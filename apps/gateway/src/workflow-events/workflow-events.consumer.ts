import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  AckEventsCommand,
  ErrorCode,
  FetchEventsCommand,
  RetryEventCommand,
  type WorkflowEvent,
  WorkflowPattern,
} from '@app/contracts';
import { AppException, PollingWorker } from '@app/common';
import { eventConsumerMetrics, workflowEventsTotal } from '@app/observability';
import { GatewayEnv } from '../config/gateway.env';
import { DeadLetterReplayers } from '../dead-letters/dead-letter-replayers';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { EventBatch } from './event-batch';
import { ProcessedEventsRepository } from './processed-events.repository';
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Pulls the workflow outbox over TCP and hands each event to the gateway's handlers: at-least-once
 * delivery (a lease that expires unacknowledged brings the event back), exactly-once handling (the
 * event id goes into core.processed_event in the handlers' transaction). A fetched batch is handled in
 * one transaction, in order (its handlers share reads and write once: EventBatch); if it fails, each
 * event is handled again in its own transaction, so one bad event costs the others nothing. Any number of gateway
 * replicas may run it: the workflow app leases each event to one of them at a time. A failing event
 * never loops: it comes back after base × 2^(attempt−1) ms, and after WORKFLOW_EVENTS_MAX_ATTEMPTS it
 * is parked as a dead letter (core.dead_letter) that an operator lists and replays through the API.
 */
@Injectable()
export class WorkflowEventsConsumer extends PollingWorker implements OnModuleInit {
  static readonly SOURCE = 'workflow-events';
  protected readonly logger = new Logger(WorkflowEventsConsumer.name);
  protected readonly roundName = 'workflow event';
  protected override readonly startAtOnce = true;
  private readonly consumer = `${hostname()}:${process.pid}`;
  private leave?: () => void;
  /** Settles when shutdown begins: a fetch held in the workflow app does not keep it waiting. */
  private readonly leaving = new Promise<WorkflowEvent[]>((resolve) => (this.leave = () => resolve([])));

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: WorkflowClient,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
    @Inject(WORKFLOW_EVENT_HANDLERS) private readonly handlers: WorkflowEventHandler[],
    private readonly deadLetters: DeadLettersRepository,
    private readonly replayers: DeadLetterReplayers,
    private readonly processed: ProcessedEventsRepository,
  ) {
    super();
  }

  protected get pollMs(): number {
    return this.config.WORKFLOW_EVENTS_POLL_MS;
  }

  /**
   * How long a scheduled fetch waits in the workflow app for events to be committed there: the whole
   * poll, so the consumer always holds one fetch and an event committed on that replica is handled at
   * once; events from elsewhere still come within a poll. Bounded by half the workflow timeout (the
   * fetch must answer before it) and by what the command allows.
   */
  private get waitMs(): number {
    return Math.max(0, Math.min(this.pollMs, Math.floor(this.config.WORKFLOW_TIMEOUT_MS / 2), 30_000));
  }

  /** The workflow app being away is the link's to report (health, client errors), not every round's. */
  protected override isQuietFailure(error: unknown): boolean {
    return error instanceof AppException && error.code === ErrorCode.WorkflowUnavailable;
  }

  onModuleInit(): void {
    this.replayers.register(WorkflowEventsConsumer.SOURCE, async (payload, manager) => {
      await this.handleIn(manager, payload as unknown as WorkflowEvent);
    });
  }

  override async onApplicationShutdown(): Promise<void> {
    this.leave?.();
    await super.onApplicationShutdown();
  }

  /** One fetch → handle → acknowledge round; returns how many events it handled. */
  async runOnce(limit = 100): Promise<number> {
    const fetched = this.workflow.send(
      WorkflowPattern.EventsFetch,
      FetchEventsCommand.create({ consumer: this.consumer, limit, leaseMs: 30_000, waitMs: this.waitMs }),
    );
    // left behind at shutdown: what it still hands out is leased to nobody and comes back after the lease
    fetched.catch(() => undefined);
    const events = await Promise.race([fetched, this.leaving]);
    for (const event of events) if (event.attempts > 1) eventConsumerMetrics.eventRetried(event.topic);
    const done: string[] = [];
    const fresh = events.length > 1 ? await this.handleBatch(events) : undefined;
    if (fresh) {
      for (const event of events) {
        workflowEventsTotal.inc({
          topic: event.topic,
          outcome: fresh.has(event.id) ? 'handled' : 'duplicate',
        });
        done.push(event.id);
      }
    } else {
      // one event, or a batch that failed (rolled back as a whole): each event on its own, so only the
      // failing one is retried or parked
      for (const event of events) {
        try {
          const handled = await this.handle(event);
          workflowEventsTotal.inc({ topic: event.topic, outcome: handled ? 'handled' : 'duplicate' });
          done.push(event.id);
        } catch (error) {
          workflowEventsTotal.inc({ topic: event.topic, outcome: 'failed' });
          this.logger.error(
            { err: error, eventId: event.id, topic: event.topic, attempt: event.attempts },
            'workflow event handler failed',
          );
          if (await this.giveUpOrRetry(event, error)) done.push(event.id);
        }
      }
    }
    if (done.length > 0)
      await this.workflow.send(WorkflowPattern.EventsAck, AckEventsCommand.create({ ids: done }));
    return events.length;
  }

  /**
   * The whole batch in one transaction: the ids of the events handled now (the others had been
   * handled before), or undefined when any handler failed and nothing of the batch was kept.
   */
  private async handleBatch(events: WorkflowEvent[]): Promise<Set<string> | undefined> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const fresh = await this.processed.record(manager, events);
        const batch = new EventBatch();
        for (const event of events) if (fresh.has(event.id)) await this.runHandlers(event, manager, batch);
        await batch.flush();
        return fresh;
      });
    } catch (error) {
      this.logger.warn(
        { err: error, events: events.length },
        'workflow event batch failed; handling its events one by one',
      );
      return undefined;
    }
  }

  /**
   * After its last allowed attempt the event is parked as a dead letter (then acknowledged: true);
   * before, it is handed back to the outbox with a backoff (exponential, capped).
   */
  private async giveUpOrRetry(event: WorkflowEvent, error: unknown): Promise<boolean> {
    const reason = (error as Error)?.message ?? String(error);
    if (event.attempts >= this.config.WORKFLOW_EVENTS_MAX_ATTEMPTS) {
      await this.deadLetters.park({
        source: WorkflowEventsConsumer.SOURCE,
        messageId: event.id,
        topic: event.topic,
        payload: { ...event },
        attempts: event.attempts,
        lastError: reason,
      });
      eventConsumerMetrics.eventDeadLettered(event.topic);
      workflowEventsTotal.inc({ topic: event.topic, outcome: 'dead_letter' });
      this.logger.warn({ eventId: event.id, topic: event.topic }, 'workflow event parked as a dead letter');
      return true;
    }
    const delayMs = Math.min(
      this.config.WORKFLOW_EVENTS_RETRY_BASE_MS * 2 ** (event.attempts - 1),
      this.config.WORKFLOW_EVENTS_RETRY_MAX_MS,
    );
    await this.workflow.send(
      WorkflowPattern.EventsRetry,
      RetryEventCommand.create({ id: event.id, delayMs: Math.round(delayMs) }),
    );
    return false;
  }

  /** True when handled now, false when it had been handled before (a redelivery). */
  private handle(event: WorkflowEvent): Promise<boolean> {
    return this.dataSource.transaction((manager) => this.handleIn(manager, event));
  }

  private async handleIn(manager: EntityManager, event: WorkflowEvent): Promise<boolean> {
    const fresh = await this.processed.record(manager, [event]);
    if (!fresh.has(event.id)) return false; // handled before: a redelivery
    const batch = new EventBatch();
    await this.runHandlers(event, manager, batch);
    await batch.flush();
    return true;
  }

  private async runHandlers(event: WorkflowEvent, manager: EntityManager, batch: EventBatch): Promise<void> {
    for (const handler of this.handlers) {
      if (handler.topics.includes(event.topic)) await handler.handle(event, manager, batch);
    }
  }
}
