import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingWorker } from '@app/common';
import type { DeliveryAttempt, SendAttempt } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { signPayload } from './signature';
import { webhookRecipientKey } from './webhook-queue';
import { postToTarget, resolveWebhookTarget } from './webhook-target';

interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  event_id: string;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secret: string;
}

/**
 * Sends queued webhook deliveries. A round claims due rows with FOR UPDATE SKIP LOCKED and pushes
 * their next attempt forward by a lease, so replicas never send the same row at once and a crash
 * mid-send only delays it (at-least-once). A 2xx answer marks it delivered; anything else retries
 * after base × 2^(attempt-1) until WEBHOOK_MAX_ATTEMPTS, then it is `failed` (visible in the log).
 */
@Injectable()
export class WebhookDeliveryWorker extends PollingWorker {
  protected readonly logger = new Logger(WebhookDeliveryWorker.name);
  protected readonly roundName = 'webhook';

  constructor(
    private readonly dataSource: DataSource,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {
    super();
  }

  protected get pollMs(): number {
    return this.config.WEBHOOK_POLL_MS;
  }

  /** One round: claim up to `limit` due deliveries and attempt each. Returns how many were attempted. */
  async runOnce(limit = 20): Promise<number> {
    const leaseMs = this.config.WEBHOOK_TIMEOUT_MS * 2 + 1000;
    const claimed: ClaimedDelivery[] = await this.dataSource.query(
      `WITH claimed AS (UPDATE core.webhook_delivery d SET next_attempt_at = now() + $2 * interval '1 millisecond'
         FROM core.webhook_subscription s
        WHERE s.id = d.subscription_id AND d.id IN (
          SELECT id FROM core.webhook_delivery
           WHERE status = 'pending' AND next_attempt_at <= now()
           ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING d.id::text AS id, d.subscription_id::text AS subscription_id, d.event_id::text AS event_id, d.topic, d.payload, d.attempts, s.url, s.secret)
       SELECT * FROM claimed`,
      [limit, leaseMs],
    );
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const started = Date.now();
    const body = JSON.stringify(delivery.payload);
    let httpStatus: number | null = null;
    let error: string | null = null;
    try {
      const target = await resolveWebhookTarget(delivery.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
      const timestamp = Math.floor(started / 1000);
      const answer = await postToTarget(
        target,
        {
          'content-type': 'application/json',
          'user-agent': 'Flowdesk-Webhooks/1',
          'x-flowdesk-event-id': delivery.event_id,
          'x-flowdesk-topic': delivery.topic,
          'x-flowdesk-attempt': String(delivery.attempts + 1),
          'x-flowdesk-signature': signPayload(delivery.secret, body, timestamp),
        },
        body,
        this.config.WEBHOOK_TIMEOUT_MS,
      );
      httpStatus = answer.status;
      if (answer.status < 200 || answer.status >= 300) error = `HTTP ${answer.status}`;
    } catch (caught) {
      error = ((caught as Error)?.message ?? String(caught)).slice(0, 500);
    }
    const entry: DeliveryAttempt = {
      at: new Date(started).toISOString(),
      httpStatus,
      error,
      ms: Date.now() - started,
    };
    // the centre's send record of this delivery gets the same attempt (GET /messages/sends?channel=webhook)
    const sendEntry: SendAttempt = {
      at: entry.at,
      status: error === null ? 'delivered' : 'failed',
      answer: httpStatus === null ? null : `HTTP ${httpStatus}`,
      error,
      ms: entry.ms,
    };
    const mirror = (status: string, log: string) => `UPDATE core.message_send m SET status = ${status},
         attempts = d.attempts, last_error = d.last_error, next_attempt_at = d.next_attempt_at,
         sent_at = d.delivered_at, attempts_log = m.attempts_log || ${log}::jsonb
       FROM d WHERE m.message_id = d.event_id AND m.channel = 'webhook'
         AND m.recipient_key = ${webhookRecipientKey('d.subscription_id')}`;
    if (error === null) {
      await this.dataSource.query(
        `WITH d AS (UPDATE core.webhook_delivery SET status = 'delivered', attempts = attempts + 1, delivered_at = now(),
           last_status = $2, last_error = NULL, log = log || $3::jsonb WHERE id = $1
           RETURNING event_id, subscription_id, attempts, last_error, next_attempt_at, delivered_at)
         ${mirror("'delivered'", '$4')}`,
        [delivery.id, httpStatus, JSON.stringify([entry]), JSON.stringify([sendEntry])],
      );
      return;
    }
    const attempts = delivery.attempts + 1;
    const failed = attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    const backoff = this.config.WEBHOOK_RETRY_BASE_MS * 2 ** (attempts - 1);
    await this.dataSource.query(
      `WITH d AS (UPDATE core.webhook_delivery SET status = $2, attempts = attempts + 1, last_status = $3, last_error = $4,
         next_attempt_at = now() + $5 * interval '1 millisecond', log = log || $6::jsonb WHERE id = $1
         RETURNING event_id, subscription_id, attempts, last_error, next_attempt_at, delivered_at)
       ${mirror('$7', '$8')}`,
      [
        delivery.id,
        failed ? 'failed' : 'pending',
        httpStatus,
        error,
        backoff,
        JSON.stringify([entry]),
        failed ? 'failed' : 'queued',
        JSON.stringify([sendEntry]),
      ],
    );
  }
}
