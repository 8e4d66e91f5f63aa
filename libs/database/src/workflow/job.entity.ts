import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const JOB_STATUSES = ['pending', 'done', 'cancelled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/**
 * A due action (timer event, SLA step) kept in the database, not in process memory: any workflow
 * replica claims due rows with FOR UPDATE SKIP LOCKED, so they fire after restarts and exactly once.
 */
@Entity({ schema: 'workflow', name: 'job' })
@Index('ix_job_due', ['status', 'dueAt'])
@Index('uq_job_pending_timer', ['instanceId', 'timerId'], { unique: true, where: `status = 'pending'` })
export class JobEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 32, default: 'timer' })
  kind!: string;

  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'timer_id', type: 'varchar', length: 255 })
  timerId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: JobStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 2000, nullable: true })
  lastError!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
