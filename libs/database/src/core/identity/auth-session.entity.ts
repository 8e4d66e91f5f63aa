import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
} from 'typeorm';
import { StaffEntity } from './staff.entity';

/**
 * One sign-in. Access tokens carry its id (`sid`) and die with it: logout revokes the session, a
 * password change or reset revokes all of the member's sessions. The refresh token's secret part is
 * stored as a SHA-256 digest and rotated on every refresh; presenting an old one revokes the session.
 */
@Entity({ schema: 'core', name: 'auth_sessions' })
@Index('ix_auth_sessions_staff', ['staffId'])
export class AuthSessionEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_auth_sessions_staff' })
  staff?: Relation<StaffEntity>;

  /** sha256 hex of the current refresh secret. */
  @Column({ name: 'refresh_hash', type: 'varchar', length: 64 })
  refreshHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'refreshed_at', type: 'timestamptz', nullable: true })
  refreshedAt!: Date | null;

  /** The refresh token (and so the session) ends here; access tokens end earlier by their own `exp`. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 32, nullable: true })
  revokedReason!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 255, nullable: true })
  userAgent!: string | null;
}
