import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const TIMER_START_STATUSES = ['pending', 'done', 'cancelled'] as const;
export type TimerStartStatus = (typeof TIMER_START_STATUSES)[number];

/**
 * The schedule of one timer start event of one definition version: each firing starts one instance.
 * Any workflow replica claims a due row with FOR UPDATE SKIP LOCKED and starts the instance in the
 * same transaction, so a firing starts exactly one instance. A new version cancels the old version's
 * rows; a suspended definition's rows wait.
 */
@Entity({ schema: 'workflow', name: 'timer_start' })
@Index('ix_timer_start_due', ['status', 'dueAt'])
@Index('ix_timer_start_key', ['definitionKey', 'status'])
export class TimerStartEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'definition_id', type: 'bigint' })
  definitionId!: string;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  /** The timer start event. */
  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'timer_kind', type: 'varchar', length: 16 })
  timerKind!: string;

  @Column({ name: 'timer_value', type: 'varchar', length: 255 })
  timerValue!: string;

  /** When the schedule began (the deployment). */
  @Column({ type: 'timestamptz' })
  anchor!: Date;

  @Column({ type: 'integer', default: 0 })
  fired!: number;

  @Column({ name: 'previous_due', type: 'timestamptz', nullable: true })
  previousDue!: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: TimerStartStatus;

  @Column({ name: 'last_instance_id', type: 'bigint', nullable: true })
  lastInstanceId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
