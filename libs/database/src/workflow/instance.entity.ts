import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `failed`: stopped by the platform (an engine step past its budget); an incident says why. */
export const INSTANCE_STATUSES = [
  'running',
  'completed',
  'rejected',
  'stopped',
  'discarded',
  'failed',
] as const;
export type InstanceStatusValue = (typeof INSTANCE_STATUSES)[number];

/**
 * One run of a definition. `state` is the engine's saved state; every change locks this row and
 * bumps `version` in the same transaction (DESIGN §4).
 */
@Entity({ schema: 'workflow', name: 'process_instance' })
@Index('ix_instance_initiator_status', ['initiatorId', 'status'])
@Index('ix_instance_status_started', ['status', 'startedAt'])
// Covering partial index of the duration report (migration ReportIndexes: INCLUDE, WHERE ended_at IS NOT NULL).
@Index('ix_instance_report_ended', { synchronize: false })
// Edge days of the report pre-aggregates (migration ReportAggregates).
@Index('ix_instance_report_started', { synchronize: false })
@Index('ix_instance_report_ended_at', { synchronize: false })
// A scoped caller's own instances in the reports (migration ReportRollupLevels).
@Index('ix_instance_report_initiator', { synchronize: false })
export class ProcessInstanceEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'definition_id', type: 'bigint' })
  definitionId!: string;

  @Index('ix_instance_definition_key')
  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'definition_version', type: 'integer' })
  definitionVersion!: number;

  @Column({ name: 'process_name', type: 'varchar', length: 255 })
  processName!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  category!: string | null;

  @Index('ix_instance_business_key')
  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  @Column({ name: 'serial_no', type: 'varchar', length: 128, unique: true })
  serialNo!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  title!: string | null;

  @Column({ type: 'varchar', length: 16 })
  status!: InstanceStatusValue;

  @Column({ name: 'initiator_id', type: 'varchar', length: 64 })
  initiatorId!: string;

  @Column({ name: 'initiator_department_id', type: 'varchar', length: 64, nullable: true })
  initiatorDepartmentId!: string | null;

  @Column({ type: 'jsonb' })
  state!: unknown;

  @Column({ type: 'jsonb' })
  variables!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  version!: number;

  /** Element ids holding a token now, and those completed at least once (diagram). */
  @Column({ name: 'active_elements', type: 'text', array: true, default: () => `'{}'` })
  activeElements!: string[];

  @Column({ name: 'parent_instance_id', type: 'bigint', nullable: true })
  parentInstanceId!: string | null;

  /** The call activity's execution in the parent that waits for this child. */
  @Column({ name: 'parent_execution_id', type: 'varchar', length: 255, nullable: true })
  parentExecutionId!: string | null;

  @Index('ix_instance_root')
  @Column({ name: 'root_instance_id', type: 'bigint', nullable: true })
  rootInstanceId!: string | null;

  /** Relaunch (重新发起) links the new run to the one it replaces. */
  @Column({ name: 'relaunched_from_id', type: 'bigint', nullable: true })
  relaunchedFromId!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'end_reason', type: 'varchar', length: 500, nullable: true })
  endReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
