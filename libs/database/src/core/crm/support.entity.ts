import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** One change of a CRM record: who, when, what (old and new values per field). */
@Entity({ schema: 'core', name: 'crm_change' })
@Index('ix_crm_change_organization', ['organizationId', 'id'])
@Index('ix_crm_change_customer', ['customerId', 'id'])
@Index('ix_crm_change_entity', ['entityType', 'entityId', 'id'])
export class CrmChangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** organization, customer, potential, follow_up, demand, satisfaction, contract, data_record */
  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'bigint' })
  entityId!: string;

  /** The organization whose timeline shows the change (the record itself, or the one it belongs to). */
  @Column({ name: 'organization_id', type: 'bigint', nullable: true })
  organizationId!: string | null;

  @Column({ name: 'customer_id', type: 'bigint', nullable: true })
  customerId!: string | null;

  /** created, updated, deleted, restored, imported, import_undone */
  @Column({ type: 'varchar', length: 32 })
  action!: string;

  @Column({ name: 'actor_id', type: 'varchar', length: 64 })
  actorId!: string;

  /** `{ field: { from, to } }` */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  changes!: Record<string, { from: unknown; to: unknown }>;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;
}

/** 短信模板 (seed 003). */
@Entity({ schema: 'core', name: 'crm_sms_template' })
export class CrmSmsTemplateEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  title!: string;

  @Column({ type: 'varchar', length: 1000 })
  content!: string;

  @Column({ name: 'creator_id', type: 'bigint' })
  creatorId!: string;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A text message uploaded from a salesperson's phone; one row per uploader and (sender, receiver, time,
 * content): a phone's retry stores nothing twice, while a message between two salespeople is kept for both.
 */
@Entity({ schema: 'core', name: 'crm_sms' })
@Unique('uq_crm_sms_per_uploader', ['staffId', 'sender', 'receiver', 'occurTime', 'contentHash'])
@Index('ix_crm_sms_staff', ['staffId', 'occurTime'])
@Index('ix_crm_sms_customer', ['customerCode', 'occurTime'])
export class CrmSmsEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** The uploading staff member (owner for data scopes). */
  @Column({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @Column({ type: 'varchar', length: 64 })
  sender!: string;

  @Column({ type: 'varchar', length: 64 })
  receiver!: string;

  /** 1 销售 2 客户 */
  @Column({ name: 'sender_role', type: 'smallint' })
  senderRole!: number;

  @Column({ name: 'occur_time', type: 'timestamptz' })
  occurTime!: Date;

  @Column({ type: 'varchar', length: 2000 })
  content!: string;

  @Column({ name: 'content_hash', type: 'char', length: 64 })
  contentHash!: string;

  @Column({ name: 'sender_mobile', type: 'varchar', length: 32, default: '' })
  senderMobile!: string;

  @Column({ name: 'receiver_mobile', type: 'varchar', length: 32, default: '' })
  receiverMobile!: string;

  @Column({ name: 'sender_name', type: 'varchar', length: 64, default: '' })
  senderName!: string;

  @Column({ name: 'receiver_name', type: 'varchar', length: 64, default: '' })
  receiverName!: string;

  @Column({ type: 'varchar', length: 64, default: '【东方融资网】' })
  signature!: string;

  @Column({ name: 'send_status', type: 'smallint', default: 1 })
  sendStatus!: number;

  @Column({ name: 'is_read', type: 'smallint', default: 1 })
  isRead!: number;

  /** The salesperson's code and the customer's code / mobile, derived from senderRole. */
  @Column({ name: 'emp_code', type: 'varchar', length: 64 })
  empCode!: string;

  @Column({ name: 'customer_code', type: 'varchar', length: 64 })
  customerCode!: string;

  @Column({ name: 'customer_mobile', type: 'varchar', length: 32, default: '' })
  customerMobile!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * A call record uploaded from a salesperson's phone; one row per uploader and (empCode, mobile, callDate,
 * callStatus), so another caller's upload never counts as this phone's.
 */
@Entity({ schema: 'core', name: 'crm_call' })
@Unique('uq_crm_call_per_uploader', ['staffId', 'empCode', 'mobile', 'callDate', 'callStatus'])
@Index('ix_crm_call_staff', ['staffId', 'callDate'])
export class CrmCallEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @Column({ name: 'emp_code', type: 'varchar', length: 64 })
  empCode!: string;

  @Column({ name: 'emp_work_mobile', type: 'varchar', length: 32, default: '' })
  empWorkMobile!: string;

  @Column({ type: 'varchar', length: 32 })
  mobile!: string;

  @Column({ name: 'bill_sec', type: 'integer' })
  billSec!: number;

  @Column({ name: 'call_date', type: 'timestamptz' })
  callDate!: Date;

  /** 0..4, seed 003 */
  @Column({ name: 'call_status', type: 'smallint' })
  callStatus!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** A CSV import: the dry-run report or what an applied import created and changed (for undo). */
@Entity({ schema: 'core', name: 'crm_import' })
export class CrmImportEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** organizations | customers */
  @Column({ type: 'varchar', length: 32 })
  entity!: string;

  /** dry_run | applied | undone */
  @Column({ type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'creator_id', type: 'bigint' })
  creatorId!: string;

  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @Column({ name: 'row_count', type: 'integer' })
  rowCount!: number;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  errors!: { row: number; field: string; reason: string }[];

  @Column({ name: 'created_ids', type: 'bigint', array: true, default: () => `'{}'` })
  createdIds!: string[];

  /** Records the import updated, with their values before it: `[{ id, before }]`. */
  @Column({ type: 'jsonb', default: () => `'[]'` })
  updated!: { id: string; before: Record<string, unknown> }[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'undone_at', type: 'timestamptz', nullable: true })
  undoneAt!: Date | null;
}
