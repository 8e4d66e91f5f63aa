import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

export const MESSAGE_CHANNELS = ['inbox', 'webhook', 'email', 'sms', 'dingtalk', 'wecom', 'stream'] as const;
export type MessageChannel = (typeof MESSAGE_CHANNELS)[number];
export const MESSAGE_LOCALES = ['zh-CN', 'en'] as const;
export type MessageLocale = (typeof MESSAGE_LOCALES)[number];

/**
 * A content template of one event type, channel and language. Saving never edits a row: it adds the
 * next version, and the highest active version is the one rendered.
 */
@Entity({ schema: 'core', name: 'message_template' })
@Index('uq_message_template_version', ['eventType', 'channel', 'locale', 'version'], { unique: true })
export class MessageTemplateEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'varchar', length: 8 })
  locale!: MessageLocale;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  subject!: string | null;

  @Column({ type: 'varchar', length: 4000 })
  body!: string;

  /** Variable path → masking strategy (mobile, idCard, bankCard, email, name, address, ...). */
  @Column({ name: 'field_masks', type: 'jsonb', default: () => `'{}'` })
  fieldMasks!: Record<string, string>;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @Column({ name: 'created_by', type: 'bigint', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** An administrator's settings of one channel (SMTP server, robot URL and secret, SMS account). */
@Entity({ schema: 'core', name: 'message_channel_config' })
export class MessageChannelConfigEntity {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'boolean', default: false })
  enabled!: boolean;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  config!: Record<string, unknown>;

  @Column({ name: 'updated_by', type: 'bigint', nullable: true })
  updatedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** Words the free-text filter replaces with asterisks (administrator's list). */
@Entity({ schema: 'core', name: 'message_sensitive_word' })
export class MessageSensitiveWordEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  word!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Administrator's default: does this event go out on this channel when a member chose nothing. */
@Entity({ schema: 'core', name: 'message_preference_default' })
export class MessagePreferenceDefaultEntity {
  @PrimaryColumn({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'boolean' })
  enabled!: boolean;
}

/** A member's own choice for one event type and channel (wins over the default). */
@Entity({ schema: 'core', name: 'message_preference' })
export class MessagePreferenceEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @PrimaryColumn({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @PrimaryColumn({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  @Column({ type: 'boolean' })
  enabled!: boolean;
}

/** A member's delivery addresses and language for the centre (the staff record has no e-mail). */
@Entity({ schema: 'core', name: 'message_contact' })
export class MessageContactEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  /** Overrides the staff record's phone for SMS. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  mobile!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'zh-CN' })
  locale!: MessageLocale;
}

export const SEND_STATUSES = ['queued', 'sent', 'delivered', 'failed'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

export interface SendAttempt {
  at: string;
  status: 'sent' | 'delivered' | 'failed';
  /** The provider's answer (SMTP response, robot errcode/errmsg, SMS Code/Message). */
  answer: string | null;
  error: string | null;
  ms: number;
}

/**
 * One message to one recipient on one channel, with every attempt in `attempts_log`. Queued rows are
 * claimed with FOR UPDATE SKIP LOCKED, so any number of gateways send them; failures retry with backoff.
 */
@Entity({ schema: 'core', name: 'message_send' })
@Index('uq_message_send', ['messageId', 'channel', 'recipientKey'], { unique: true })
@Index('ix_message_send_due', ['status', 'nextAttemptAt'])
@Index('ix_message_send_recipient', ['recipientId', 'createdAt'])
export class MessageSendEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The workflow event id or the published message id. */
  @Column({ name: 'message_id', type: 'uuid' })
  messageId!: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType!: string;

  @Column({ type: 'varchar', length: 16 })
  channel!: MessageChannel;

  /** `staff:<id>` or, for group robots, `group`. */
  @Column({ name: 'recipient_key', type: 'varchar', length: 64 })
  recipientKey!: string;

  @Column({ name: 'recipient_id', type: 'bigint', nullable: true })
  recipientId!: string | null;

  /** E-mail address, mobile number or robot name, as sent. */
  @Column({ type: 'varchar', length: 254, nullable: true })
  address!: string | null;

  @Column({ name: 'template_id', type: 'bigint', nullable: true })
  templateId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  subject!: string | null;

  /** The rendered, masked and filtered text. */
  @Column({ type: 'text' })
  body!: string;

  /** Channel-specific values (SMS template parameters). */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  params!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16, default: 'queued' })
  status!: SendStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError!: string | null;

  @Column({ name: 'attempts_log', type: 'jsonb', default: () => `'[]'` })
  attemptsLog!: SendAttempt[];

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}

/**
 * Server-sent events per member: kept with increasing ids so a reconnect with `Last-Event-ID` replays
 * what it missed; a NOTIFY wakes the streams of every gateway.
 */
@Entity({ schema: 'core', name: 'stream_event' })
@Index('ix_stream_event_user', ['userId', 'id'])
export class StreamEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
