import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One message in a user's in-app inbox (task notifications, urges, copies). */
@Entity({ schema: 'core', name: 'notification' })
@Index('ix_notification_user', ['userId', 'createdAt'])
@Index('uq_notification_event_user', ['eventId', 'userId'], { unique: true })
export class NotificationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'user_id', type: 'bigint' })
  userId!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ type: 'varchar', length: 255 })
  title!: string;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  body!: string | null;

  /** The workflow event that caused it: one notification per event and user, even on redelivery. */
  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId!: string | null;

  @Column({ name: 'instance_id', type: 'varchar', length: 64, nullable: true })
  instanceId!: string | null;

  @Column({ name: 'task_id', type: 'varchar', length: 64, nullable: true })
  taskId!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  data!: Record<string, unknown>;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
