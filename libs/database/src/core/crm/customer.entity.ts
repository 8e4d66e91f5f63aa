import { Column, Entity, Index } from 'typeorm';
import { CrmRecordBase } from './crm-record.base';

/** Pipeline stage of seed 003 (`exeStatus`): 1 有需求 2 有意向 3 已来访 4 已签约 5 外包成交 6 会员成交. */
export const CUSTOMER_STAGES = [1, 2, 3, 4, 5, 6] as const;
/** Seed 003 `contactStatus`: 0 未拨打 1 已接通 2 未接通. */
export const CONTACT_STATUSES = [0, 1, 2] as const;
/** Seed 003 `wechatFriendStatus` 1..6. */
export const WECHAT_STATUSES = [1, 2, 3, 4, 5, 6] as const;

/** 客户 (seed 001 customer, with the seed-003 sales-assistant fields). */
@Entity({ schema: 'core', name: 'crm_customer' })
@Index('ix_crm_customer_created', ['createdAt', 'id'])
@Index('ix_crm_customer_creator', ['creatorId'])
@Index('ix_crm_customer_owner_stage', ['ownerId', 'stage'])
@Index('ix_crm_customer_department', ['departmentId'])
export class CrmCustomerEntity extends CrmRecordBase {
  /** customerCode of seed 003; unique when present. */
  @Index('uq_crm_customer_code', { unique: true, where: 'code IS NOT NULL' })
  @Column({ type: 'varchar', length: 32, nullable: true })
  code!: string | null;

  @Index('ix_crm_customer_name_trgm', { synchronize: false })
  @Column({ name: 'real_name', type: 'varchar', length: 64 })
  realName!: string;

  @Column({ name: 'nick_name', type: 'varchar', length: 64, nullable: true })
  nickName!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  type!: string | null;

  @Index('ix_crm_customer_phone_trgm', { synchronize: false })
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  job!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'unknown' })
  sex!: 'male' | 'female' | 'unknown';

  @Column({ type: 'smallint', default: 0 })
  level!: number;

  @Column({ name: 'is_vip', type: 'boolean', default: false })
  isVip!: boolean;

  @Column({ name: 'is_senior', type: 'boolean', default: false })
  isSenior!: boolean;

  @Column({ name: 'vip_due_time', type: 'timestamptz', nullable: true })
  vipDueTime!: Date | null;

  @Column({ name: 'navigation_due_time', type: 'timestamptz', nullable: true })
  navigationDueTime!: Date | null;

  /** Seed 001 `cid` (a push-client id of the old CRM's app); kept as sent. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  cid!: string | null;

  /** Seed 001 `openId` (WeChat); kept as sent. */
  @Column({ name: 'open_id', type: 'varchar', length: 128, nullable: true })
  openId!: string | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 2048, nullable: true })
  avatarUrl!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note!: string | null;

  @Column({ name: 'legal_person', type: 'varchar', length: 64, nullable: true })
  legalPerson!: string | null;

  @Column({ name: 'registered_capital', type: 'varchar', length: 64, nullable: true })
  registeredCapital!: string | null;

  @Column({ name: 'registration_date', type: 'date', nullable: true })
  registrationDate!: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  website!: string | null;

  /** 客户进程 1..6 (seed 003); null when not in the sales pipeline. */
  @Column({ type: 'smallint', nullable: true })
  stage!: number | null;

  /** 备注 of seed 003 (≤ 500 characters). */
  @Column({ type: 'varchar', length: 500, nullable: true })
  comment!: string | null;

  @Column({ name: 'contact_status', type: 'smallint', default: 0 })
  contactStatus!: number;

  @Column({ name: 'wechat_status', type: 'smallint', default: 1 })
  wechatStatus!: number;

  @Column({ name: 'wechat_id', type: 'varchar', length: 64, nullable: true })
  wechatId!: string | null;

  /** Organizations the customer belongs to (many); ids of core.crm_organization. */
  @Index('ix_crm_customer_organizations', { synchronize: false })
  @Column({ name: 'organization_ids', type: 'bigint', array: true, default: () => `'{}'` })
  organizationIds!: string[];

  /** The salesperson in charge (seed 003 empCode); defaults to the creator. */
  @Column({ name: 'owner_id', type: 'bigint', nullable: true })
  ownerId!: string | null;
}
