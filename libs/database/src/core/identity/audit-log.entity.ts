import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Security audit trail: sign-ins and failures, password changes and resets, role, grant and status
 * changes, application credentials. Append-only.
 */
@Entity({ schema: 'core', name: 'audit_logs' })
@Index('ix_audit_logs_at', ['at'])
@Index('ix_audit_logs_action_at', ['action', 'at'])
@Index('ix_audit_logs_subject', ['subjectStaffId'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at!: Date;

  /** e.g. `auth.login`, `auth.login_failed`, `staff.status_changed` (see AuditAction). */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  /** Who did it: a staff id, `service:<clientId>`, `system`, or null (anonymous failed sign-in). */
  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_kind', type: 'varchar', length: 16, nullable: true })
  actorKind!: string | null;

  /** The staff member the event is about (for data-scope filtering), if any. */
  @Column({ name: 'subject_staff_id', type: 'bigint', nullable: true })
  subjectStaffId!: string | null;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 64, nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  /** Event details (never a password, hash, secret or token). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
