import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { DepartmentEntity } from './department.entity';

export const STAFF_STATUSES = ['enabled', 'disabled', 'deleted'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** 编内员工 (staff) or 通讯员 (courier), seed 001 `type` 1 / 2. */
export const STAFF_TYPES = ['staff', 'courier'] as const;
export type StaffType = (typeof STAFF_TYPES)[number];

export const SEXES = ['male', 'female', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** A member of the staff directory; the one who signs in (DESIGN §3). */
@Entity({ schema: 'core', name: 'staff' })
@Index('ix_staff_department', ['departmentId'])
export class StaffEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('uq_staff_account', { unique: true, where: 'account IS NOT NULL' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  account!: string | null;

  @Index('uq_staff_phone', { unique: true, where: 'phone IS NOT NULL' })
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  /** 员工编号 / empCode (seed 001 `number`, seed 003 `empCode`). */
  @Index('uq_staff_employee_no', { unique: true, where: 'employee_no IS NOT NULL' })
  @Column({ name: 'employee_no', type: 'varchar', length: 32, nullable: true })
  employeeNo!: string | null;

  @Column({ name: 'real_name', type: 'varchar', length: 64 })
  realName!: string;

  @Column({ name: 'nick_name', type: 'varchar', length: 64, nullable: true })
  nickName!: string | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 2048, nullable: true })
  avatarUrl!: string | null;

  @Column({ type: 'varchar', length: 8, default: 'unknown' })
  sex!: Sex;

  @Column({ type: 'varchar', length: 64, nullable: true })
  title!: string | null;

  /** A calendar date (`yyyy-MM-dd`). */
  @Column({ type: 'date', nullable: true })
  birthday!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  address!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  school!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  education!: string | null;

  @Column({ name: 'political_affiliation', type: 'varchar', length: 64, nullable: true })
  politicalAffiliation!: string | null;

  @Column({ name: 'open_id', type: 'varchar', length: 128, nullable: true })
  openId!: string | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  info!: string | null;

  @Column({ name: 'entry_time', type: 'timestamptz', nullable: true })
  entryTime!: Date | null;

  @Column({ name: 'official_time', type: 'timestamptz', nullable: true })
  officialTime!: Date | null;

  @Column({ name: 'resign_time', type: 'timestamptz', nullable: true })
  resignTime!: Date | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'enabled' })
  status!: StaffStatus;

  @Column({ type: 'varchar', length: 16, default: 'staff' })
  type!: StaffType;

  /** The DingTalk user (userid) this member is synced from (directory sync, docs/integrations.md). */
  @Index('uq_staff_dingtalk', { unique: true, where: 'dingtalk_user_id IS NOT NULL' })
  @Column({ name: 'dingtalk_user_id', type: 'varchar', length: 64, nullable: true })
  dingtalkUserId!: string | null;

  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'department_id', foreignKeyConstraintName: 'fk_staff_department' })
  department?: Relation<DepartmentEntity>;

  /**
   * Argon2id over md5(password): see libs/auth password-hasher for why. Null until an administrator
   * sets a password (staff are created without one, seed 001).
   */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, nullable: true })
  passwordHash!: string | null;

  /** Set by an administrator's reset: the member must choose a new password before anything else. */
  @Column({ name: 'must_change_password', type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
