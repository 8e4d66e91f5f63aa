import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * A user task the instance waits for, upserted from the engine's waits in the command's transaction.
 * Candidates are keys (`user id`, `group:<id>`, `dept:<id>`, `role:<code>`, or a bare group id) so
 * "my todo" is one indexed array-overlap query.
 */
@Entity({ schema: 'workflow', name: 'task' })
@Index('uq_task_execution', ['instanceId', 'executionId'], { unique: true })
@Index('ix_task_assignee_status', ['assigneeId', 'status'])
@Index('ix_task_status_created', ['status', 'createdAt'])
// Covering partial indexes of the duration reports (migration ReportIndexes: INCLUDE, WHERE status = 'completed').
@Index('ix_task_report_node', { synchronize: false })
@Index('ix_task_report_assignee', { synchronize: false })
// Edge days of the report pre-aggregates (migration ReportAggregates).
@Index('ix_task_report_ended', { synchronize: false })
// A scoped caller's own tasks in the partial months of a report (migration ReportRollupLevels).
@Index('ix_task_report_initiator', { synchronize: false })
export class TaskEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('ix_task_instance')
  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'definition_id', type: 'bigint' })
  definitionId!: string;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'process_name', type: 'varchar', length: 255 })
  processName!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  category!: string | null;

  @Column({ name: 'instance_started_at', type: 'timestamptz' })
  instanceStartedAt!: Date;

  @Column({ name: 'initiator_id', type: 'varchar', length: 64 })
  initiatorId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'execution_id', type: 'varchar', length: 255 })
  executionId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'assignee_id', type: 'varchar', length: 64, nullable: true })
  assigneeId!: string | null;

  /** Set while delegated (委派): the owner gets the task back on resolve. */
  @Column({ name: 'owner_id', type: 'varchar', length: 64, nullable: true })
  ownerId!: string | null;

  @Column({ name: 'delegation_state', type: 'varchar', length: 16, nullable: true })
  delegationState!: 'pending' | 'resolved' | null;

  @Index('ix_task_candidates', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  candidates!: string[];

  @Column({ name: 'form_key', type: 'varchar', length: 255, nullable: true })
  formKey!: string | null;

  @Column({ type: 'integer', nullable: true })
  priority!: number | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status!: TaskStatus;

  /** How it ended: approved, rejected, returned, cancelled by a gateway or timer, ... */
  @Column({ type: 'varchar', length: 32, nullable: true })
  outcome!: string | null;

  @Column({ name: 'mi_root_execution_id', type: 'varchar', length: 255, nullable: true })
  miRootExecutionId!: string | null;

  @Column({ name: 'mi_index', type: 'integer', nullable: true })
  miIndex!: number | null;

  @Column({ name: 'mi_total', type: 'integer', nullable: true })
  miTotal!: number | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Index('ix_task_ended_by')
  @Column({ name: 'ended_by', type: 'varchar', length: 64, nullable: true })
  endedBy!: string | null;
}
