import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook deliveries made before they became send records of the message centre get their record. */
export class WebhookSendRecords1796303298103 implements MigrationInterface {
  name = 'WebhookSendRecords1796303298103';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "core"."message_send" ("message_id", "event_type", "channel", "recipient_key", "address", "subject",
         "body", "status", "attempts", "next_attempt_at", "last_error", "attempts_log", "created_at", "sent_at")
       SELECT d.event_id, d.topic, 'webhook', 'webhook:' || d.subscription_id::text,
              left(split_part(s.url, '?', 1), 254), left(s.name, 255), d.payload::text,
              CASE d.status WHEN 'pending' THEN 'queued' ELSE d.status END, d.attempts, d.next_attempt_at,
              d.last_error,
              (SELECT coalesce(jsonb_agg(jsonb_build_object(
                  'at', e->>'at',
                  'status', CASE WHEN e->>'error' IS NULL THEN 'delivered' ELSE 'failed' END,
                  'answer', CASE WHEN e->>'httpStatus' IS NULL THEN NULL ELSE 'HTTP ' || (e->>'httpStatus') END,
                  'error', e->'error',
                  'ms', e->'ms')), '[]'::jsonb)
                 FROM jsonb_array_elements(d.log) e),
              d.created_at, d.delivered_at
         FROM "core"."webhook_delivery" d JOIN "core"."webhook_subscription" s ON s.id = d.subscription_id
       ON CONFLICT DO NOTHING`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "core"."message_send" WHERE "channel" = 'webhook'`);
  }
}
