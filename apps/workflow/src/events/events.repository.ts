import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { deferToCommit, deferWrite } from '../execution/statement-pipeline';
import { OutboxSignal } from './outbox-signal';

/** An event to append to the outbox. */
export interface NewOutboxEvent {
  topic: string;
  instanceId: string | null;
  payload: Record<string, unknown>;
  /** `payload.serialNo` is the instance row's, written with the COMMIT (ExecutionService.start): filled in SQL. */
  serialNoFromRow?: boolean;
}

/** An outbox row as leased (raw). */
export interface OutboxRow {
  id: string;
  topic: string;
  instance_id: string | null;
  payload: Record<string, unknown>;
  created_at: Date;
  attempts: number;
}

/** Every query on workflow.outbox_event outside the execution step: the lease queue and appends. */
@Injectable()
export class EventsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly signal: OutboxSignal,
  ) {}

  /** Leases up to `limit` undelivered events for `leaseMs` (SKIP LOCKED: consumers never share one). */
  async lease(limit: number, leaseMs: number): Promise<OutboxRow[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [rows]: [OutboxRow[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET available_at = now() + ($2 || ' milliseconds')::interval, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM workflow.outbox_event
         WHERE delivered_at IS NULL AND available_at <= now()
         ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id, topic, instance_id, payload, created_at, attempts`,
      [limit, String(leaseMs)],
    );
    return rows;
  }

  /** Marks the events delivered; answers how many were still undelivered. */
  async markDelivered(ids: readonly string[]): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET delivered_at = now() WHERE id = ANY($1::uuid[]) AND delivered_at IS NULL`,
      [ids],
    );
    return result[1];
  }

  /** Ends an undelivered event's lease at now + `delayMs`; answers 1 if it was undelivered. */
  async releaseAfter(id: string, delayMs: number): Promise<number> {
    const result: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.outbox_event SET available_at = now() + ($2 || ' milliseconds')::interval
       WHERE id = $1 AND delivered_at IS NULL`,
      [id, String(delayMs)],
    );
    return result[1];
  }

  /**
   * One multi-row INSERT of new outbox events, in the writer's transaction (with its next statement; held
   * for the commit, after the instance rows written there, when a payload takes its serial number from one).
   */
  async append(manager: EntityManager, ...events: readonly NewOutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    const params: unknown[] = [];
    const values = events.map((event) => {
      params.push(randomUUID(), event.topic, event.instanceId, JSON.stringify(event.payload));
      const at = params.length - 3;
      // no row (a NULL payload) fails the write rather than sending an event without its number
      const payload = event.serialNoFromRow
        ? `jsonb_set($${at + 3}::jsonb, '{serialNo}', to_jsonb((SELECT serial_no FROM workflow.process_instance WHERE id = $${at + 2}::bigint)))`
        : `$${at + 3}::jsonb`;
      return `($${at}, $${at + 1}, $${at + 2}, ${payload})`;
    });
    const statement = {
      sql: `INSERT INTO workflow.outbox_event (id, topic, instance_id, payload) VALUES ${values.join(', ')}`,
      params,
    };
    if (events.some((event) => event.serialNoFromRow)) await deferToCommit(manager, statement);
    else await deferWrite(manager, statement);
    this.signal.appended(manager);
  }
}
