import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../../config/gateway.env';
import { NotificationsException } from '../notifications.exception';
import { assertWebhookTarget, exchangeWithTarget, resolveWebhookTarget } from '../webhooks/webhook-target';
import { ChannelError } from './channel';

/**
 * HTTP calls of the channels (robots, SMS providers) under the webhook target rules: the URL an
 * administrator configured is checked when saved and again before each call, and the call connects to
 * the checked address, so a robot or SMS URL cannot reach loopback or private addresses unless
 * WEBHOOK_ALLOW_PRIVATE_TARGETS allows them, exactly like a webhook.
 */
@Injectable()
export class OutboundHttp {
  constructor(@Inject(GatewayEnv) private readonly config: GatewayEnv) {}

  /** Refuses (4101 on `field`) a URL that no call would be allowed to reach. */
  async check(url: string, field: string): Promise<void> {
    await assertWebhookTarget(url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS, field);
  }

  async request(
    url: string,
    options: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; timeoutMs: number },
  ): Promise<{ status: number; text: string }> {
    let target;
    try {
      target = await resolveWebhookTarget(url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    } catch (error) {
      if (!(error instanceof NotificationsException)) throw error;
      // a name that does not resolve may come back; a refused address will not
      throw new ChannelError(`target refused: ${error.message}`, null, /cannot resolve/.test(error.message));
    }
    try {
      return await exchangeWithTarget(target, { ...options, maxAnswerBytes: 8192 });
    } catch (error) {
      throw new ChannelError((error as Error)?.message ?? String(error));
    }
  }
}
