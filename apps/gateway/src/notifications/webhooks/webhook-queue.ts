import type { EntityManager } from 'typeorm';
import { buildSubscriberPayload } from './webhook-content';

/**
 * Puts one event on the delivery queue of every active subscription of its topic (publish/subscribe),
 * or of one subscription (point-to-point). Each subscription gets its own payload (secrets redacted,
 * its excluded fields removed, its template rendered: webhook-content.ts), computed from the
 * subscriptions read in the same transaction and written with one INSERT. The unique
 * (subscription, event id) index makes a second enqueue of the same event a no-op: each receiver gets
 * each event id once in its log.
 */
export async function enqueueDeliveries(
  manager: EntityManager,
  event: { id: string; topic: string; payload: Record<string, unknown> },
  subscriptionId?: string,
  active?: readonly ActiveSubscription[],
): Promise<number> {
  const subscriptions: SubscriptionContent[] = active
    ? active.filter((s) => s.topics.includes(event.topic))
    : await manager.query(
        `SELECT s.id::text AS id, s.exclude_fields, s.template FROM core.webhook_subscription s
          WHERE s.active AND s.deleted_at IS NULL
            AND ($2::bigint IS NULL AND $1::varchar = ANY(s.topics) OR s.id = $2::bigint)`,
        [event.topic, subscriptionId ?? null],
      );
  if (subscriptions.length === 0) return 0;
  const payloads = subscriptions.map((s) =>
    JSON.stringify(
      buildSubscriberPayload(event.payload, { excludeFields: s.exclude_fields, template: s.template }),
    ),
  );
  // each delivery is also a send record of the centre (channel `webhook`, recipient the subscription),
  // written in the same statement so the two never disagree; the delivery worker keeps both up to date
  const rows: unknown[] = await manager.query(
    `WITH inserted AS (
       INSERT INTO core.webhook_delivery (subscription_id, event_id, topic, payload)
       SELECT u.subscription_id, $1::uuid, $2::varchar, u.payload::jsonb
         FROM unnest($3::bigint[], $4::text[]) AS u(subscription_id, payload)
         JOIN core.webhook_subscription s ON s.id = u.subscription_id AND s.active AND s.deleted_at IS NULL
       ON CONFLICT (subscription_id, event_id) DO NOTHING
       RETURNING id, subscription_id, payload),
     mirrored AS (
       INSERT INTO core.message_send (message_id, event_type, channel, recipient_key, address, subject, body)
       SELECT $1::uuid, $2::varchar, 'webhook', ${webhookRecipientKey('i.subscription_id')},
              left(split_part(s.url, '?', 1), 254), left(s.name, 255), i.payload::text
         FROM inserted i JOIN core.webhook_subscription s ON s.id = i.subscription_id
       ON CONFLICT DO NOTHING)
     SELECT id FROM inserted`,
    [event.id, event.topic, subscriptions.map((s) => s.id), payloads],
  );
  return rows.length;
}

interface SubscriptionContent {
  id: string;
  exclude_fields: string[];
  template: string | null;
}

export interface ActiveSubscription extends SubscriptionContent {
  topics: string[];
}

/** Every active subscription with its topics: read once for a batch of events (enqueueDeliveries' `active`). */
export function activeSubscriptions(manager: EntityManager): Promise<ActiveSubscription[]> {
  return manager.query(
    `SELECT s.id::text AS id, s.topics, s.exclude_fields, s.template FROM core.webhook_subscription s
      WHERE s.active AND s.deleted_at IS NULL`,
  );
}

/** The send record's recipient key of a subscription (SQL expression over a subscription id column). */
export const webhookRecipientKey = (column: string) => `'webhook:' || ${column}::text`;
