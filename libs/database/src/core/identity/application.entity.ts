import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DataScope } from '@app/contracts';

/** Seed 004 callers: a front-end application (`requestType=app`, `appID`) or a back-end service (`serverID`). */
export const APPLICATION_TYPES = ['app', 'service'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export const APPLICATION_STATUSES = ['active', 'revoked'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/** A registered caller of the seed-004 headers. Its secret is shown once and kept only as a digest. */
@Entity({ schema: 'core', name: 'applications' })
export class ApplicationEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  type!: ApplicationType;

  /** The public id sent as `appID` / `serverID`. */
  @Index('uq_applications_client_id', { unique: true })
  @Column({ name: 'client_id', type: 'varchar', length: 64 })
  clientId!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  /** sha256 hex of the secret (a 256-bit random value, so a fast digest is enough). */
  @Column({ name: 'secret_hash', type: 'varchar', length: 64 })
  secretHash!: string;

  /** Last four characters of the secret, to tell secrets apart in the console. */
  @Column({ name: 'secret_hint', type: 'varchar', length: 8 })
  secretHint!: string;

  @Column({ name: 'secret_rotated_at', type: 'timestamptz' })
  secretRotatedAt!: Date;

  /** What the caller may do: for an app, the ceiling over the signed-in user's own permissions. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: string[];

  /** Data scope of a service acting as itself (no user token). */
  @Column({ name: 'data_scope', type: 'varchar', length: 32, default: 'all' })
  dataScope!: DataScope;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status!: ApplicationStatus;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
