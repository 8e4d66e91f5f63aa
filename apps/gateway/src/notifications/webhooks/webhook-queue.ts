import type { EntityManager } from 'typeorm';

/**
 * Puts one event on the delivery queue of every active subscription of its topic (publish/subscribe),
 * or of one subscription (point-to-point). The unique (subscription, event id) index makes a second
 * enqueue of the same event a no-op: each receiver gets each event id once in its log.
 */
export async function enqueueDeliveries(
  manager: EntityManager,
  event: { id: string; topic: string; payload: Record<string, unknown> },
  subscriptionId?: string,
): Promise<number> {
  const rows: unknown[] = await manager.query(
    `INSERT INTO core.webhook_delivery (subscription_id, event_id, topic, payload)
     SELECT s.id, $1::uuid, $2::varchar, $3::jsonb FROM core.webhook_subscription s
      WHERE s.active AND s.deleted_at IS NULL
        AND ($4::bigint IS NULL AND $2::varchar = ANY(s.topics) OR s.id = $4::bigint)
     ON CONFLICT (subscription_id, event_id) DO NOTHING
     RETURNING id`,
    [event.id, event.topic, JSON.stringify(event.payload), subscriptionId ?? null],
  );
  return rows.length;
}
