import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import type { WebhookSubscriptionEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { MessageSettings } from '../centre/message-settings.service';
import {
  BUILT_IN_TOPICS,
  type CreateWebhookDto,
  type DeliveryDto,
  type DeliveryQueryDto,
  mapDelivery,
  mapWebhook,
  type PublishedDto,
  type PushMessageDto,
  type TopicDto,
  type UpdateWebhookDto,
  type WebhookDto,
  type WebhookWithSecretDto,
} from './webhook.dto';
import { assertWebhookTarget } from './webhook-target';
import { WebhooksRepository } from './webhooks.repository';

const newSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
    private readonly settings: MessageSettings,
  ) {}

  async list(actor: Actor, query: { pageNum: number; pageSize: number }): Promise<Page<WebhookDto>> {
    assertPlatformWide(actor);
    const [rows, total] = await this.webhooks.findPage(query);
    return toPage(rows.map(mapWebhook), total, query);
  }

  async get(actor: Actor, id: string): Promise<WebhookDto> {
    return mapWebhook(await this.find(actor, id));
  }

  async create(actor: Actor, dto: CreateWebhookDto): Promise<WebhookWithSecretDto> {
    assertPlatformWide(actor);
    await assertWebhookTarget(dto.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    const saved = await this.webhooks.insert({
      name: dto.name,
      url: dto.url,
      topics: [...new Set(dto.topics)],
      excludeFields: [...new Set(dto.excludeFields ?? [])],
      template: dto.template || null,
      secret: newSecret(),
      active: true,
      createdBy: actor.id,
    });
    return { ...mapWebhook(saved), secret: saved.secret };
  }

  async update(actor: Actor, id: string, dto: UpdateWebhookDto): Promise<WebhookDto> {
    const found = await this.find(actor, id);
    if (dto.url !== undefined) await assertWebhookTarget(dto.url, this.config.WEBHOOK_ALLOW_PRIVATE_TARGETS);
    Object.assign(found, {
      ...(dto.name !== undefined ? { name: dto.name } : {}),
      ...(dto.url !== undefined ? { url: dto.url } : {}),
      ...(dto.topics !== undefined ? { topics: [...new Set(dto.topics)] } : {}),
      ...(dto.active !== undefined ? { active: dto.active } : {}),
      ...(dto.excludeFields !== undefined ? { excludeFields: [...new Set(dto.excludeFields ?? [])] } : {}),
      ...(dto.template !== undefined ? { template: dto.template || null } : {}),
    });
    await this.webhooks.save(found);
    return mapWebhook(found);
  }

  async rotateSecret(actor: Actor, id: string): Promise<WebhookWithSecretDto> {
    const found = await this.find(actor, id);
    found.secret = newSecret();
    await this.webhooks.update(id, { secret: found.secret });
    return { ...mapWebhook(found), secret: found.secret };
  }

  async remove(actor: Actor, id: string): Promise<WebhookDto> {
    const found = await this.find(actor, id);
    found.deletedAt = new Date();
    found.active = false;
    await this.webhooks.update(id, { deletedAt: found.deletedAt, active: false });
    return mapWebhook(found);
  }

  async deliveries(actor: Actor, id: string, query: DeliveryQueryDto): Promise<Page<DeliveryDto>> {
    await this.find(actor, id);
    const [rows, total] = await this.webhooks.findDeliveries(id, query);
    return toPage(rows.map(mapDelivery), total, query);
  }

  /** Sends a failed (or pending) delivery again at once, with a fresh attempt budget. */
  async retry(actor: Actor, id: string, deliveryId: string): Promise<DeliveryDto> {
    await this.find(actor, id);
    const found = await this.webhooks.findDelivery({ id: deliveryId, subscriptionId: id });
    if (!found) throw AppException.notFound('delivery', deliveryId);
    if (found.status === 'delivered') throw AppException.conflict('ALREADY_DELIVERED', 'already delivered');
    await this.webhooks.requeueDelivery(deliveryId);
    return mapDelivery((await this.webhooks.findDelivery({ id: deliveryId }))!);
  }

  /** Point-to-point: one message to one receiver. */
  async push(actor: Actor, id: string, dto: PushMessageDto): Promise<PublishedDto> {
    await this.findAny(id);
    return this.publishMessage(actor, dto.topic ?? 'message', dto.data, id);
  }

  /** Publish/subscribe: one message to every subscriber of the topic. */
  publish(actor: Actor, topic: string, dto: PushMessageDto): Promise<PublishedDto> {
    return this.publishMessage(actor, topic, dto.data);
  }

  async topics(): Promise<TopicDto[]> {
    const counts = await this.webhooks.subscriberCounts();
    const byTopic = new Map(counts.map((c) => [c.topic, c.n]));
    const all = new Set([...Object.keys(BUILT_IN_TOPICS), ...byTopic.keys()]);
    return [...all].sort().map((topic) => ({
      topic,
      description: BUILT_IN_TOPICS[topic] ?? 'custom topic (POST /topics/{topic}/publish)',
      builtIn: topic in BUILT_IN_TOPICS,
      subscribers: byTopic.get(topic) ?? 0,
    }));
  }

  private async publishMessage(
    actor: Actor,
    topic: string,
    data: Record<string, unknown>,
    subscriptionId?: string,
  ): Promise<PublishedDto> {
    if (!subscriptionId && topic in BUILT_IN_TOPICS)
      throw AppException.invalid([
        { field: 'topic', reason: 'built-in topics are published by the platform only' },
      ]);
    const eventId = randomUUID();
    // outside systems' messages pass the centre's sensitive-word filter like every other text
    const filter = await this.settings.filter();
    const clean = filterStrings(data, (text) => filter.filter(text)) as Record<string, unknown>;
    const payload = {
      id: eventId,
      topic,
      createdAt: new Date().toISOString(),
      publishedBy: actor.id,
      data: clean,
    };
    const deliveries = await this.webhooks.enqueue({ id: eventId, topic, payload }, subscriptionId);
    return { eventId, deliveries };
  }

  private async find(actor: Actor, id: string): Promise<WebhookSubscriptionEntity> {
    assertPlatformWide(actor);
    return this.findAny(id);
  }

  private async findAny(id: string): Promise<WebhookSubscriptionEntity> {
    const found = await this.webhooks.findById(id);
    if (!found) throw AppException.notFound('webhook', id);
    return found;
  }
}

/**
 * Subscriptions are platform-wide integration settings, not department records: one subscribed to a
 * built-in topic receives every department's events, and its delivery log holds their payloads. So
 * reading or managing them takes, besides `webhook:read|write`, the data scope `all`; anyone narrower
 * is refused the route (4001) rather than shown another department's receiver, secret or payloads.
 * Publishing (`webhook:publish`) sends data out and is not limited so (docs/messages.md).
 */
function assertPlatformWide(actor: Actor): void {
  if (actor.dataScope !== 'all')
    throw AppException.forbidden(
      'WEBHOOKS_PLATFORM_WIDE',
      'webhook subscriptions carry every department’s events: they need the data scope all',
    );
}

function filterStrings(value: unknown, filter: (text: string) => string): unknown {
  if (typeof value === 'string') return filter(value);
  if (Array.isArray(value)) return value.map((v) => filterStrings(v, filter));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, filterStrings(v, filter)]));
  return value;
}
