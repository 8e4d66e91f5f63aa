import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const STAFF_STATUSES = ['enabled', 'disabled', 'deleted'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];

/** A person who signs in. The identity module owns the rest of the directory around it. */
@Entity({ schema: 'core', name: 'staff' })
export class StaffEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('uq_staff_account', { unique: true, where: 'account IS NOT NULL' })
  @Column({ type: 'varchar', length: 64, nullable: true })
  account!: string | null;

  @Index('uq_staff_phone', { unique: true, where: 'phone IS NOT NULL' })
  @Column({ type: 'varchar', length: 32, nullable: true })
  phone!: string | null;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** Argon2id over md5(password): see libs/auth password-hasher for why. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16, default: 'enabled' })
  status!: StaffStatus;

  @Column({ name: 'is_super_admin', type: 'boolean', default: false })
  isSuperAdmin!: boolean;

  /** Bumped on logout-everywhere and password change: tokens carry it and older ones are refused. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
