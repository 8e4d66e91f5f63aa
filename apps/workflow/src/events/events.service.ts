import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type {
  AckEventsCommand,
  FetchEventsCommand,
  RetryEventCommand,
  WorkflowEvent,
  WorkflowEventTopic,
} from '@app/contracts';

interface OutboxRow {
  id: string;
  topic: string;
  instance_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
}

/** The outbox as a queue: fetch claims a lease (SKIP LOCKED, so consumers never share an event), ack ends it. */
@Injectable()
export class EventsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async fetch(command: FetchEventsCommand): Promise<WorkflowEvent[]> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [OutboxRow[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET available_at = now() + ($2 || ' milliseconds')::interval, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM workflow.outbox_event
         WHERE delivered_at IS NULL AND available_at <= now()
         ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, topic, instance_id, payload, created_at, attempts`,
      [command.limit, String(command.leaseMs)],
    );
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
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET delivered_at = now() WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL`,
      [command.ids],
    );
    return { acknowledged: result[1] };
  }

  /** Ends the lease of a failed event early: it is handed out again after the consumer's backoff. */
  async retry(command: RetryEventCommand): Promise<{ rescheduled: number }> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET available_at = now() + ($2 || ' milliseconds')::interval
       WHERE id = $1 AND delivered_at IS NULL`,
      [command.id, String(command.delayMs)],
    );
    return { rescheduled: result[1] };
  }
}
