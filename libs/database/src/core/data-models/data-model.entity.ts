import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

/**
 * One field of a user-defined model. `id` (`f1`, `f2` …) is where the value lives in a record's JSONB and
 * never changes; `key` is the public name and may be renamed. Defined in `apps/gateway/src/data-models`.
 */
export interface DataFieldDefinition {
  id: string;
  key: string;
  name: string;
  type: string;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  deprecated: boolean;
  default?: unknown;
  options?: Record<string, unknown>;
}

/** A flow a record of the model can start, and which record fields become which process variables. */
export interface DataFlowBinding {
  flowCode: string;
  /** `variable → field key`; empty: every field under its key. */
  variables: Record<string, string>;
  title?: string;
}

/** A stored form-js form whose submissions write records of the model: `form field key → field id`. */
export interface DataFormBinding {
  formKey: string;
  fields: Record<string, string>;
}

/** A user-defined model (seed 004's data modelling tool): its current field list and version. */
@Entity({ schema: 'core', name: 'data_model' })
export class DataModelEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('uq_data_model_key', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  key!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  description!: string | null;

  /** Raised by every schema change; `data_model_version` keeps each one. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  fields!: DataFieldDefinition[];

  /** The number of the next field id (`f<n>`): ids are never reused, even after a field is deprecated. */
  @Column({ name: 'next_field_no', type: 'integer', default: 1 })
  nextFieldNo!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  flows!: DataFlowBinding[];

  @Column({ type: 'jsonb', default: () => `'[]'` })
  forms!: DataFormBinding[];

  @Column({ name: 'creator_id', type: 'bigint' })
  creatorId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** The audit trail of a model's schema: one row per version, with what changed and the fields after it. */
@Entity({ schema: 'core', name: 'data_model_version' })
@Unique('uq_data_model_version', ['modelId', 'version'])
export class DataModelVersionEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_id', type: 'bigint' })
  modelId!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** `{ op, field?, before?, after? }` */
  @Column({ type: 'jsonb' })
  change!: Record<string, unknown>;

  @Column({ type: 'jsonb' })
  fields!: DataFieldDefinition[];

  @Column({ name: 'actor_id', type: 'varchar', length: 64 })
  actorId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

/**
 * A record of any model: values in JSONB under field ids. Per-field btree indexes (and unique ones) are
 * created at run time, partial on the model (`ix_data_record_<model>_<field>`); see docs/data-models.md.
 */
@Entity({ schema: 'core', name: 'data_record' })
@Index('ix_data_record_model_created', ['modelId', 'createdAt', 'id'], { where: 'deleted_at IS NULL' })
// the data scope's two arms (own records, the department's), so a member's list reads only their slice
@Index('ix_data_record_model_department', ['modelId', 'departmentId'], { where: 'deleted_at IS NULL' })
@Index('ix_data_record_model_creator', ['modelId', 'creatorId'], { where: 'deleted_at IS NULL' })
@Index('ix_data_record_data', { synchronize: false })
export class DataRecordEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_id', type: 'bigint' })
  modelId!: string;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  data!: Record<string, unknown>;

  @Column({ name: 'creator_id', type: 'bigint' })
  creatorId!: string;

  /** The creator's department when the record was created: what department data scopes look at. */
  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A saved table or kanban view of a model: personal (its owner only) or shared with everyone who reads it. */
@Entity({ schema: 'core', name: 'data_view' })
@Index('ix_data_view_model', ['modelId', 'ownerId'])
export class DataViewEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_id', type: 'bigint' })
  modelId!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** table | kanban */
  @Column({ type: 'varchar', length: 16 })
  type!: string;

  @Column({ type: 'boolean', default: false })
  shared!: boolean;

  @Column({ name: 'owner_id', type: 'varchar', length: 64 })
  ownerId!: string;

  /** Columns, filter, sorts, group-by — with field ids, never keys (keys may be renamed). */
  @Column({ type: 'jsonb' })
  config!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A flow started from a record (seed 002 `dataId`): one per record and flow code, like a saved form. */
@Entity({ schema: 'core', name: 'data_record_flow' })
@Unique('uq_data_record_flow', ['recordId', 'flowCode'])
export class DataRecordFlowEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'record_id', type: 'bigint' })
  recordId!: string;

  @Column({ name: 'flow_code', type: 'varchar', length: 255 })
  flowCode!: string;

  @Column({ name: 'work_order_id', type: 'varchar', length: 32, nullable: true })
  workOrderId!: string | null;

  @Column({ name: 'instance_id', type: 'varchar', length: 32, nullable: true })
  instanceId!: string | null;

  @Column({ name: 'actor_id', type: 'varchar', length: 64 })
  actorId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
