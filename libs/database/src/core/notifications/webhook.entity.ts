import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An outbound push target. Publish/subscribe: every active subscription whose `topics` holds an
 * event's topic receives it. Point-to-point: a message addressed to one subscription by id.
 */
@Entity({ schema: 'core', name: 'webhook_subscription' })
@Index('ix_webhook_topics', ['topics'])
export class WebhookSubscriptionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 2000 })
  url!: string;

  /** HMAC-SHA256 key of the signature header; shown once at creation and rotation. */
  @Column({ type: 'varchar', length: 128 })
  secret!: string;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  topics!: string[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  /** Dot paths into the event removed from this receiver's payload before it is stored and signed. */
  @Column({ name: 'exclude_fields', type: 'text', array: true, default: () => `'{}'` })
  excludeFields!: string[];

  /** Content template (`{{dot.path}}` substitution) rendered into the payload's `message`. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  template!: string | null;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  at: string;
  httpStatus: number | null;
  error: string | null;
  ms: number;
}

/**
 * The delivery queue and its log: one row per (subscription, event id), polled with SKIP LOCKED,
 * retried with exponential backoff; `log` keeps every attempt.
 */
@Entity({ schema: 'core', name: 'webhook_delivery' })
@Index('uq_webhook_delivery_event', ['subscriptionId', 'eventId'], { unique: true })
@Index('ix_webhook_delivery_due', ['status', 'nextAttemptAt'])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'subscription_id', type: 'bigint' })
  subscriptionId!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_status', type: 'integer', nullable: true })
  lastStatus!: number | null;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError!: string | null;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  log!: DeliveryAttempt[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
