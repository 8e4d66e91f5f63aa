import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Why an incident was raised. `engine_budget`: a command ran past the engine's step or CPU budget and
 * the instance was failed. `failed_external_task`: an external task's worker reported a failure with no
 * retries left (`job_id` = the external task). `unknown_assignee`: a task was created for a sign-in
 * name no enabled staff member holds (`task_id`; it keeps the name until it is reassigned or ends).
 * Further kinds add a value here.
 */
export const INCIDENT_KINDS = ['engine_budget', 'failed_external_task', 'unknown_assignee'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/**
 * Something an operator must look at: raised by the workflow app where a run cannot go on by itself,
 * listed by the monitoring centre until it is resolved.
 */
@Entity({ schema: 'workflow', name: 'incident' })
@Index('ix_incident_open_instance', ['instanceId'], { where: 'resolved_at IS NULL' })
export class IncidentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'instance_id', type: 'bigint', nullable: true })
  instanceId!: string | null;

  @Column({ name: 'definition_id', type: 'bigint', nullable: true })
  definitionId!: string | null;

  /** The BPMN element it is about, when known. */
  @Column({ name: 'element_id', type: 'varchar', length: 255, nullable: true })
  elementId!: string | null;

  /** The job (timer, external task) it is about, when there is one. */
  @Column({ name: 'job_id', type: 'bigint', nullable: true })
  jobId!: string | null;

  /** The task it is about, when there is one. */
  @Column({ name: 'task_id', type: 'bigint', nullable: true })
  taskId!: string | null;

  @Column({ type: 'varchar', length: 2000 })
  message!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'varchar', length: 64, nullable: true })
  resolvedBy!: string | null;
}
