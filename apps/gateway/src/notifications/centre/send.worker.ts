import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PollingWorker } from '@app/common';
import type { MessageChannel, SendAttempt } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { ChannelError, type ChannelSender } from '../channels/channel';
import { CHANNEL_SENDERS } from '../channels/channel-registry';
import { MessageSettings } from './message-settings.service';

interface ClaimedSend {
  id: string;
  message_id: string;
  event_type: string;
  channel: MessageChannel;
  address: string | null;
  subject: string | null;
  body: string;
  params: Record<string, unknown>;
  attempts: number;
}

/**
 * Delivers queued send records. A round claims due rows with FOR UPDATE SKIP LOCKED and moves their
 * next attempt past a lease, so gateways never send one row at once and a crash only delays it
 * (at-least-once). Success → sent/delivered; a retryable failure waits base × 2^(attempt-1) until
 * MESSAGE_MAX_ATTEMPTS, then failed; a permanent one (bad address, refused signature) fails at once.
 * Every attempt is appended to the record's log with the provider's answer. Webhook records are sent by
 * the webhook delivery worker (signed, per subscription), which keeps them up to date.
 */
@Injectable()
export class SendWorker extends PollingWorker {
  protected readonly logger = new Logger(SendWorker.name);
  protected readonly roundName = 'message send';
  private readonly senders: Map<MessageChannel, ChannelSender>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: MessageSettings,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
    @Inject(CHANNEL_SENDERS) senders: ChannelSender[],
  ) {
    super();
    this.senders = new Map(senders.map((s) => [s.channel, s]));
  }

  protected get pollMs(): number {
    return this.config.MESSAGE_POLL_MS;
  }

  /** One round: claim up to `limit` due sends and attempt each. Returns how many were attempted. */
  async runOnce(limit = 20): Promise<number> {
    const claimed: ClaimedSend[] = await this.dataSource.query(
      // a CTE, so the driver answers rows (a bare UPDATE … RETURNING answers [rows, count])
      `WITH claimed AS (UPDATE core.message_send SET next_attempt_at = now() + interval '60 seconds'
        WHERE id IN (SELECT id FROM core.message_send WHERE status = 'queued' AND next_attempt_at <= now()
                      AND channel <> 'webhook'
                      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id::text, message_id::text, event_type, channel, address, subject, body, params, attempts)
       SELECT * FROM claimed`,
      [limit],
    );
    await Promise.all(claimed.map((send) => this.attempt(send)));
    return claimed.length;
  }

  private async attempt(send: ClaimedSend): Promise<void> {
    const started = Date.now();
    let entry: SendAttempt;
    let retryable = false;
    try {
      const sender = this.senders.get(send.channel);
      const setting = await this.settings.channel(send.channel);
      if (!sender || !setting?.enabled)
        throw new ChannelError(`channel ${send.channel} is not configured or disabled`, null, false);
      const result = await sender.send(
        {
          sendId: send.id,
          messageId: send.message_id,
          eventType: send.event_type,
          address: send.address,
          subject: send.subject,
          body: send.body,
          params: send.params,
        },
        setting.config,
      );
      entry = {
        at: new Date(started).toISOString(),
        status: result.status,
        answer: result.answer,
        error: null,
        ms: 0,
      };
    } catch (error) {
      const e =
        error instanceof ChannelError ? error : new ChannelError(String((error as Error)?.message ?? error));
      retryable = e.retryable;
      entry = {
        at: new Date(started).toISOString(),
        status: 'failed',
        answer: e.answer?.slice(0, 1000) ?? null,
        error: e.message.slice(0, 1000),
        ms: 0,
      };
    }
    entry.ms = Date.now() - started;
    const attempts = send.attempts + 1;
    if (entry.status !== 'failed') {
      await this.dataSource.query(
        `UPDATE core.message_send SET status = $2, attempts = $3, sent_at = now(), last_error = NULL,
           attempts_log = attempts_log || $4::jsonb WHERE id = $1`,
        [send.id, entry.status, attempts, JSON.stringify([entry])],
      );
      return;
    }
    const final = !retryable || attempts >= this.config.MESSAGE_MAX_ATTEMPTS;
    const backoff = this.config.MESSAGE_RETRY_BASE_MS * 2 ** (attempts - 1);
    await this.dataSource.query(
      `UPDATE core.message_send SET status = $2, attempts = $3, last_error = $4,
         next_attempt_at = now() + $5 * interval '1 millisecond', attempts_log = attempts_log || $6::jsonb WHERE id = $1`,
      [send.id, final ? 'failed' : 'queued', attempts, entry.error, backoff, JSON.stringify([entry])],
    );
  }
}
