import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

/** App work-order types (seed 004 `WorkOrder/app/list`): an application and the process it starts. */
@Entity({ schema: 'workflow', name: 'work_order_type' })
export class WorkOrderTypeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'app_code', type: 'varchar', length: 64, nullable: true })
  appCode!: string | null;

  @Column({ name: 'definition_key', type: 'varchar', length: 255, nullable: true })
  definitionKey!: string | null;

  @Column({ name: 'icon_url', type: 'varchar', length: 1000, nullable: true })
  iconUrl!: string | null;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** Synthesis work-order categories (seed 004 `synthesis/list`): a tree. */
@Entity({ schema: 'workflow', name: 'work_order_category' })
@Index('ix_work_order_category_parent', ['parentId'])
export class WorkOrderCategoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  @Column({ name: 'definition_key', type: 'varchar', length: 255, nullable: true })
  definitionKey!: string | null;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/**
 * A work order: a business record bound to one process instance. Its status is not stored but read
 * from the instance (draft while there is none), so it can never disagree with the process.
 */
@Entity({ schema: 'workflow', name: 'work_order' })
@Index('uq_work_order_number', ['number'], { unique: true })
@Index('ix_work_order_instance', ['instanceId'])
@Index('ix_work_order_created', ['createdAt'])
// the foreign keys' lookups when a category or type is deleted
@Index('ix_work_order_category', ['categoryId'])
@Index('ix_work_order_type', ['typeId'])
// A scoped caller's own work orders in the reports (migration ReportRollupLevels: INCLUDE).
@Index('ix_work_order_report_creator', { synchronize: false })
export class WorkOrderEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  number!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ name: 'system_id', type: 'varchar', length: 100 })
  systemId!: string;

  @Column({ name: 'project_id', type: 'varchar', length: 100, nullable: true })
  projectId!: string | null;

  @Column({ name: 'type_id', type: 'bigint', nullable: true })
  typeId!: string | null;

  // The database refuses an orphan too, whatever path wrote the row (the delete's in-use check and the
  // create's shared lock are the application's; migration WorkOrderClassificationKeys)
  @ManyToOne(() => WorkOrderTypeEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'type_id', foreignKeyConstraintName: 'fk_work_order_type' })
  type?: Relation<WorkOrderTypeEntity>;

  @Column({ name: 'category_id', type: 'bigint', nullable: true })
  categoryId!: string | null;

  @ManyToOne(() => WorkOrderCategoryEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'fk_work_order_category' })
  category?: Relation<WorkOrderCategoryEntity>;

  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  compensation!: string | null;

  @Column({ name: 'room_number', type: 'varchar', length: 64, nullable: true })
  roomNumber!: string | null;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  description!: string | null;

  @Column({ name: 'attachment_urls', type: 'text', array: true, default: () => `'{}'` })
  attachmentUrls!: string[];

  @Column({ name: 'form_data', type: 'jsonb', default: () => `'{}'` })
  formData!: Record<string, unknown>;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'instance_id', type: 'bigint', nullable: true })
  instanceId!: string | null;

  @Column({ name: 'evaluation_score', type: 'integer', nullable: true })
  evaluationScore!: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  evaluation!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'close_reason', type: 'varchar', length: 1000, nullable: true })
  closeReason!: string | null;

  /** The actor id: a staff id, or `service:<clientId>` / `app:<clientId>` for a registered client. */
  @Column({ name: 'created_by', type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ name: 'created_by_department', type: 'bigint', nullable: true })
  createdByDepartment!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
