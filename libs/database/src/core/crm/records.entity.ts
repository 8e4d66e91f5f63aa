import { Column, Entity, Index } from 'typeorm';
import { CrmRecordBase } from './crm-record.base';

/** 潜在客户记录 status (seed 001): 0 刚介入 1 跟进中 2 过期 3 完成 (deletion is `deleted_at`). */
export const POTENTIAL_STATUSES = [0, 1, 2, 3] as const;
/** 跟进的事件: 1 接入 2 走访拜访 3 电话拜访 4 签约 5 售后. */
export const FOLLOW_UP_EVENTS = [1, 2, 3, 4, 5] as const;

/** 大的拜访记录 (potential record): an organization, the staff member directing it, a status. */
@Entity({ schema: 'core', name: 'crm_potential' })
@Index('ix_crm_potential_record', ['recordTime', 'id'])
@Index('ix_crm_potential_organization', ['organizationId', 'recordTime'])
@Index('ix_crm_potential_director', ['directorId'])
export class CrmPotentialEntity extends CrmRecordBase {
  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: string;

  @Column({ name: 'director_id', type: 'bigint' })
  directorId!: string;

  @Column({ name: 'record_time', type: 'timestamptz' })
  recordTime!: Date;

  @Column({ type: 'smallint', default: 0 })
  status!: number;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;
}

/** 拜访记录 (follow-up visit) under a potential record; `organization_id` copied from it for statistics. */
@Entity({ schema: 'core', name: 'crm_follow_up' })
@Index('ix_crm_follow_up_record', ['recordTime', 'id'])
@Index('ix_crm_follow_up_organization', ['organizationId', 'recordTime'])
@Index('ix_crm_follow_up_potential', ['potentialId', 'recordTime'])
export class CrmFollowUpEntity extends CrmRecordBase {
  @Column({ name: 'potential_id', type: 'bigint' })
  potentialId!: string;

  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: string;

  @Column({ name: 'customer_ids', type: 'bigint', array: true, default: () => `'{}'` })
  customerIds!: string[];

  @Index('ix_crm_follow_up_followers', { synchronize: false })
  @Column({ name: 'follower_ids', type: 'bigint', array: true, default: () => `'{}'` })
  followerIds!: string[];

  @Column({ type: 'smallint', nullable: true })
  event!: number | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  gain!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  attach!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'record_time', type: 'timestamptz' })
  recordTime!: Date;
}

/** 需求变更记录 (demand change). */
@Entity({ schema: 'core', name: 'crm_demand' })
@Index('ix_crm_demand_record', ['recordTime', 'id'])
@Index('ix_crm_demand_organization', ['organizationId', 'recordTime'])
export class CrmDemandEntity extends CrmRecordBase {
  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: string;

  @Column({ name: 'customer_ids', type: 'bigint', array: true, default: () => `'{}'` })
  customerIds!: string[];

  @Column({ name: 'follower_ids', type: 'bigint', array: true, default: () => `'{}'` })
  followerIds!: string[];

  @Column({ type: 'varchar', length: 4000 })
  content!: string;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  attach!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'record_time', type: 'timestamptz' })
  recordTime!: Date;
}

/** 满意度 (satisfaction feedback, −10..10); followers are the praised or criticised staff. */
@Entity({ schema: 'core', name: 'crm_satisfaction' })
@Index('ix_crm_satisfaction_record', ['recordTime', 'id'])
@Index('ix_crm_satisfaction_organization', ['organizationId', 'recordTime'])
export class CrmSatisfactionEntity extends CrmRecordBase {
  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: string;

  @Column({ name: 'customer_ids', type: 'bigint', array: true, default: () => `'{}'` })
  customerIds!: string[];

  @Column({ name: 'follower_ids', type: 'bigint', array: true, default: () => `'{}'` })
  followerIds!: string[];

  @Column({ type: 'smallint' })
  value!: number;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  attach!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'record_time', type: 'timestamptz' })
  recordTime!: Date;
}

/** 合同记录 (contract); money is numeric(14,2), answered as a two-decimal string. */
@Entity({ schema: 'core', name: 'crm_contract' })
@Index('ix_crm_contract_sign', ['signTime', 'id'])
@Index('ix_crm_contract_organization', ['organizationId', 'signTime'])
export class CrmContractEntity extends CrmRecordBase {
  @Column({ name: 'organization_id', type: 'bigint' })
  organizationId!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  code!: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true })
  amount!: string | null;

  @Column({ name: 'sign_time', type: 'timestamptz' })
  signTime!: Date;

  @Column({ name: 'remit_amount', type: 'numeric', precision: 14, scale: 2, nullable: true })
  remitAmount!: string | null;

  @Column({ name: 'remit_time', type: 'timestamptz', nullable: true })
  remitTime!: Date | null;

  @Column({ name: 'follower_ids', type: 'bigint', array: true, default: () => `'{}'` })
  followerIds!: string[];

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'editor_id', type: 'bigint', nullable: true })
  editorId!: string | null;
}
