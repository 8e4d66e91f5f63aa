import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ERP_SYNC_MODES = ['create', 'update'] as const;
export type ErpSyncMode = (typeof ERP_SYNC_MODES)[number];

export const ERP_SYNC_STATUSES = ['running', 'succeeded', 'failed'] as const;
export type ErpSyncStatus = (typeof ERP_SYNC_STATUSES)[number];

/**
 * One ERP sync (seed 002 `/dataSync/create|update`): which form, the window, when it ran, how many
 * rows and what went wrong. The copied rows live in the `erp` schema as `ERP_{formId}`.
 */
@Entity({ schema: 'core', name: 'erp_sync_runs' })
// At most one running sync per form: a second one is refused (4090) instead of racing the first.
@Index('uq_erp_sync_runs_running', ['formId'], { unique: true, where: `status = 'running'` })
@Index('ix_erp_sync_runs_started', ['startedAt'])
export class ErpSyncRunEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'form_id', type: 'varchar', length: 64 })
  formId!: string;

  @Column({ type: 'varchar', length: 8 })
  mode!: ErpSyncMode;

  @Column({ type: 'varchar', length: 16, default: 'running' })
  status!: ErpSyncStatus;

  /** Rows changed at or after this instant were read (two years for create, the update window otherwise). */
  @Column({ name: 'window_from', type: 'timestamptz' })
  windowFrom!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'rows_read', type: 'integer', default: 0 })
  rowsRead!: number;

  @Column({ name: 'rows_written', type: 'integer', default: 0 })
  rowsWritten!: number;

  /** What failed (upstream message, refused field keys); null when all went well. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  error!: string | null;

  @Column({ name: 'triggered_by', type: 'varchar', length: 64 })
  triggeredBy!: string;
}
