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
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Pulls the workflow outbox over TCP and hands each event to the gateway's handlers: at-least-once
 * delivery (a lease that expires unacknowledged brings the event back), exactly-once handling (the
 * event id goes into core.processed_event in the handlers' transaction). Any number of gateway
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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: WorkflowClient,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
    @Inject(WORKFLOW_EVENT_HANDLERS) private readonly handlers: WorkflowEventHandler[],
    private readonly deadLetters: DeadLettersRepository,
    private readonly replayers: DeadLetterReplayers,
  ) {
    super();
  }

  protected get pollMs(): number {
    return this.config.WORKFLOW_EVENTS_POLL_MS;
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

  /** One fetch → handle → acknowledge round; returns how many events it handled. */
  async runOnce(limit = 100): Promise<number> {
    const events = await this.workflow.send(
      WorkflowPattern.EventsFetch,
      FetchEventsCommand.create({ consumer: this.consumer, limit, leaseMs: 30_000 }),
    );
    const done: string[] = [];
    for (const event of events) {
      if (event.attempts > 1) eventConsumerMetrics.eventRetried(event.topic);
      try {
        const fresh = await this.handle(event);
        workflowEventsTotal.inc({ topic: event.topic, outcome: fresh ? 'handled' : 'duplicate' });
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
    if (done.length > 0)
      await this.workflow.send(WorkflowPattern.EventsAck, AckEventsCommand.create({ ids: done }));
    return events.length;
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
    const fresh: unknown[] = await manager.query(
      `INSERT INTO core.processed_event (event_id, topic) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
      [event.id, event.topic],
    );
    if (fresh.length === 0) return false; // handled before: a redelivery
    for (const handler of this.handlers) {
      if (handler.topics.includes(event.topic)) await handler.handle(event, manager);
    }
    return true;
  }
}
