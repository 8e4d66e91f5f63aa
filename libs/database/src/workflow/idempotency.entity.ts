import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The first result of a retried write (`Idempotency-Key`), stored in the same transaction as the
 * write itself, so a replay returns it and a crash before commit leaves nothing behind.
 */
@Entity({ schema: 'workflow', name: 'idempotency_record' })
export class IdempotencyRecordEntity {
  /** Caller id + operation: one key means one thing per caller. */
  @PrimaryColumn({ type: 'varchar', length: 160 })
  scope!: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  /** sha-256 of the command: the same key with another body is a client bug (4090). */
  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  @Column({ type: 'jsonb' })
  response!: unknown;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
