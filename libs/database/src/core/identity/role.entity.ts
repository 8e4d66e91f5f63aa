import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DataScope } from '@app/contracts';

/** Roles seeded by the migration; they cannot be deleted (their permissions can be edited, except super_admin's). */
export const SYSTEM_ROLE_CODES = ['super_admin', 'admin', 'staff', 'courier'] as const;
export type SystemRoleCode = (typeof SYSTEM_ROLE_CODES)[number];

/** A named set of permissions with a data scope; a member's scope is the widest of their roles. */
@Entity({ schema: 'core', name: 'roles' })
export class RoleEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('uq_roles_code', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  description!: string | null;

  /** Permission codes of libs/auth's catalogue, or `*` (every permission). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: string[];

  @Column({ name: 'data_scope', type: 'varchar', length: 32, default: 'own' })
  dataScope!: DataScope;

  @Column({ name: 'is_system', type: 'boolean', default: false })
  isSystem!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
