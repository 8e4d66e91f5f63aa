import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { pageOffset } from '@app/common';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from '@app/database';
import type { DeliveryQueryDto } from './webhook.dto';
import { enqueueDeliveries, webhookRecipientKey } from './webhook-queue';

type PageArgs = { pageNum: number; pageSize: number };

/** Webhook subscription and delivery queries. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(page: PageArgs): Promise<[WebhookSubscriptionEntity[], number]> {
    return this.dataSource.manager.findAndCount(WebhookSubscriptionEntity, {
      where: { deletedAt: IsNull() },
      order: { id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  /** Not deleted. */
  findById(id: string): Promise<WebhookSubscriptionEntity | null> {
    return this.dataSource.manager.findOneBy(WebhookSubscriptionEntity, { id, deletedAt: IsNull() });
  }

  insert(values: Partial<WebhookSubscriptionEntity>): Promise<WebhookSubscriptionEntity> {
    const repo = this.dataSource.getRepository(WebhookSubscriptionEntity);
    return repo.save(repo.create(values));
  }

  async save(subscription: WebhookSubscriptionEntity): Promise<void> {
    await this.dataSource.getRepository(WebhookSubscriptionEntity).save(subscription);
  }

  async update(id: string, values: Partial<WebhookSubscriptionEntity>): Promise<void> {
    await this.dataSource.getRepository(WebhookSubscriptionEntity).update({ id }, values);
  }

  findDeliveries(
    subscriptionId: string,
    query: DeliveryQueryDto,
  ): Promise<[WebhookDeliveryEntity[], number]> {
    return this.dataSource.manager.findAndCount(WebhookDeliveryEntity, {
      where: { subscriptionId, ...(query.status ? { status: query.status } : {}) },
      order: { id: 'DESC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
  }

  findDelivery(where: { id: string; subscriptionId?: string }): Promise<WebhookDeliveryEntity | null> {
    return this.dataSource.getRepository(WebhookDeliveryEntity).findOneBy(where);
  }

  /** The delivery and its send record in the centre go back to the queue together. */
  async requeueDelivery(deliveryId: string): Promise<void> {
    await this.dataSource.query(
      `WITH d AS (UPDATE core.webhook_delivery SET status = 'pending', attempts = 0, next_attempt_at = now()
         WHERE id = $1 RETURNING event_id, subscription_id)
       UPDATE core.message_send m SET status = 'queued', attempts = 0, next_attempt_at = now()
         FROM d WHERE m.message_id = d.event_id AND m.channel = 'webhook'
          AND m.recipient_key = ${webhookRecipientKey('d.subscription_id')}`,
      [deliveryId],
    );
  }

  /** Active, not deleted subscriptions per topic. */
  subscriberCounts(): Promise<{ topic: string; n: number }[]> {
    return this.dataSource.query(
      `SELECT t AS topic, count(*)::int AS n FROM core.webhook_subscription s, unnest(s.topics) t
        WHERE s.active AND s.deleted_at IS NULL GROUP BY t`,
    );
  }

  enqueue(event: Parameters<typeof enqueueDeliveries>[1], subscriptionId?: string): Promise<number> {
    return enqueueDeliveries(this.dataSource.manager, event, subscriptionId);
  }
}
