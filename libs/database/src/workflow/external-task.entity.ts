import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EXTERNAL_TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type ExternalTaskStatus = (typeof EXTERNAL_TASK_STATUSES)[number];

/**
 * A service task done by a worker outside the engine (`camunda:type="external"`, Flowable
 * `external-worker`): workers fetch and lock open rows by topic with FOR UPDATE SKIP LOCKED, so two
 * workers never hold one task; a lock that expires makes the row fetchable again.
 */
@Entity({ schema: 'workflow', name: 'external_task' })
@Index('ix_external_task_fetch', ['topic', 'status'])
@Index('uq_external_task_open', ['instanceId', 'executionId'], { unique: true, where: `status = 'open'` })
export class ExternalTaskEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'execution_id', type: 'varchar', length: 255 })
  executionId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ type: 'varchar', length: 255 })
  topic!: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: ExternalTaskStatus;

  @Column({ name: 'worker_id', type: 'varchar', length: 255, nullable: true })
  workerId!: string | null;

  @Column({ name: 'lock_expires_at', type: 'timestamptz', nullable: true })
  lockExpiresAt!: Date | null;

  /** Set by the worker's failure reports; 0 = exhausted (an incident is open, no fetch until retried). */
  @Column({ type: 'integer', nullable: true })
  retries!: number | null;

  /** A failed task is not fetched again before this instant (the worker's retry timeout). */
  @Column({ name: 'available_at', type: 'timestamptz', nullable: true })
  availableAt!: Date | null;

  @Column({ name: 'error_message', type: 'varchar', length: 2000, nullable: true })
  errorMessage!: string | null;

  @Column({ name: 'error_details', type: 'text', nullable: true })
  errorDetails!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'ended_by', type: 'varchar', length: 255, nullable: true })
  endedBy!: string | null;
}
