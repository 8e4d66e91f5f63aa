import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  AckEventsCommand,
  ErrorCode,
  FetchEventsCommand,
  type WorkflowEvent,
  WorkflowPattern,
} from '@app/contracts';
import { AppException } from '@app/common';
import { workflowEventRetriesTotal, workflowEventsTotal } from '@app/observability';
import { GatewayEnv } from '../config/gateway.env';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Pulls the workflow outbox over TCP and hands each event to the gateway's handlers: at-least-once
 * delivery (a lease that expires unacknowledged brings the event back), exactly-once handling (the
 * event id goes into core.processed_event in the handlers' transaction). Any number of gateway
 * replicas may run it: the workflow app leases each event to one of them at a time.
 */
@Injectable()
export class WorkflowEventsConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkflowEventsConsumer.name);
  private readonly consumer = `${hostname()}:${process.pid}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly workflow: WorkflowClient,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
    @Inject(WORKFLOW_EVENT_HANDLERS) private readonly handlers: WorkflowEventHandler[],
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.WORKFLOW_EVENTS_POLL_MS > 0) this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .then((count) => this.schedule(count > 0 ? 0 : this.config.WORKFLOW_EVENTS_POLL_MS))
        .catch((error: unknown) => {
          const unavailable = error instanceof AppException && error.code === ErrorCode.WorkflowUnavailable;
          if (!unavailable) this.logger.error({ err: error }, 'workflow event round failed');
          this.schedule(Math.max(this.config.WORKFLOW_EVENTS_POLL_MS, 1000));
        });
    }, delay);
  }

  /** One fetch → handle → acknowledge round; returns how many events it handled. */
  async pollOnce(limit = 100): Promise<number> {
    const events = await this.workflow.send(
      WorkflowPattern.EventsFetch,
      FetchEventsCommand.create({ consumer: this.consumer, limit, leaseMs: 30_000 }),
    );
    const done: string[] = [];
    for (const event of events) {
      if (event.attempts > 1) workflowEventRetriesTotal.inc({ topic: event.topic });
      try {
        const fresh = await this.handle(event);
        workflowEventsTotal.inc({ topic: event.topic, outcome: fresh ? 'handled' : 'duplicate' });
        done.push(event.id);
      } catch (error) {
        workflowEventsTotal.inc({ topic: event.topic, outcome: 'failed' });
        // Not acknowledged: it comes back when the lease ends.
        this.logger.error(
          { err: error, eventId: event.id, topic: event.topic },
          'workflow event handler failed',
        );
      }
    }
    if (done.length > 0)
      await this.workflow.send(WorkflowPattern.EventsAck, AckEventsCommand.create({ ids: done }));
    return events.length;
  }

  /** True when handled now, false when it had been handled before (a redelivery). */
  private async handle(event: WorkflowEvent): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const fresh: unknown[] = await manager.query(
        `INSERT INTO core.processed_event (event_id, topic) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
        [event.id, event.topic],
      );
      if (fresh.length === 0) return false; // handled before: a redelivery
      for (const handler of this.handlers) {
        if (handler.topics.includes(event.topic)) await handler.handle(event, manager);
      }
      return true;
    });
  }
}
