import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WorkflowEvent } from '@app/contracts';

/** core.processed_event: the ids of the workflow events the gateway has handled (its de-duplication). */
@Injectable()
export class ProcessedEventsRepository {
  /**
   * Records the events as handled in the caller's transaction; answers the ids recorded now (the
   * others had been before). Ids go in sorted, so two replicas racing on overlapping batches take the
   * unique index's locks in the same order.
   */
  async record(manager: EntityManager, events: readonly WorkflowEvent[]): Promise<Set<string>> {
    const sorted = [...events].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows: { event_id: string }[] = await manager.query(
      `INSERT INTO core.processed_event (event_id, topic)
       SELECT u.event_id, u.topic FROM unnest($1::uuid[], $2::varchar[]) WITH ORDINALITY AS u(event_id, topic, n)
        ORDER BY u.n
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id::text`,
      [sorted.map((e) => e.id), sorted.map((e) => e.topic)],
    );
    const recorded = new Set(rows.map((r) => r.event_id));
    return new Set(events.filter((e) => recorded.has(e.id.toLowerCase())).map((e) => e.id));
  }
}
