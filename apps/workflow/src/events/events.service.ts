import { Injectable } from '@nestjs/common';
import type {
  AckEventsCommand,
  FetchEventsCommand,
  RetryEventCommand,
  WorkflowEvent,
  WorkflowEventTopic,
} from '@app/contracts';
import { EventsRepository } from './events.repository';
import { OutboxSignal } from './outbox-signal';

/**
 * The outbox as a queue: fetch claims a lease (SKIP LOCKED, so consumers never share an event), ack ends it.
 * A fetch that finds nothing may wait up to its `waitMs` for events committed here (long polling).
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly signal: OutboxSignal,
  ) {}

  async fetch(command: FetchEventsCommand): Promise<WorkflowEvent[]> {
    const seen = this.signal.generation;
    let rows = await this.events.lease(command.limit, command.leaseMs);
    if (rows.length === 0 && (await this.signal.after(seen, command.waitMs)))
      rows = await this.events.lease(command.limit, command.leaseMs);
    return rows
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime() || a.id.localeCompare(b.id))
      .map((row) => ({
        id: row.id,
        topic: row.topic as WorkflowEventTopic,
        instanceId: row.instance_id === null ? null : String(row.instance_id),
        payload: row.payload,
        createdAt: row.created_at.toISOString(),
        attempts: row.attempts,
      }));
  }

  async ack(command: AckEventsCommand): Promise<{ acknowledged: number }> {
    if (command.ids.length === 0) return { acknowledged: 0 };
    return { acknowledged: await this.events.markDelivered(command.ids) };
  }

  /** Ends the lease of a failed event early: it is handed out again after the consumer's backoff. */
  async retry(command: RetryEventCommand): Promise<{ rescheduled: number }> {
    return { rescheduled: await this.events.releaseAfter(command.id, command.delayMs) };
  }
}
