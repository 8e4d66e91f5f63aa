import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DEAD_LETTER_STATUSES = ['dead', 'replayed'] as const;
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/**
 * A message a consumer gave up on after its last allowed attempt (bounded retries with backoff), kept
 * whole so an operator can list it and replay it through the API once the cause is fixed.
 * `source` names the consumer (`workflow-events`); `messageId` is the message's own id there.
 */
@Entity({ schema: 'core', name: 'dead_letter' })
@Index('uq_dead_letter_message', ['source', 'messageId'], { unique: true })
@Index('ix_dead_letter_status', ['status', 'createdAt'])
export class DeadLetterEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  source!: string;

  @Column({ name: 'message_id', type: 'varchar', length: 128 })
  messageId!: string;

  @Column({ type: 'varchar', length: 128 })
  topic!: string;

  /** The message as the consumer received it (replayed as is). */
  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** Deliveries tried before it was parked, plus replays that failed. */
  @Column({ type: 'integer' })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 2000 })
  lastError!: string;

  @Column({ type: 'varchar', length: 16, default: 'dead' })
  status!: DeadLetterStatus;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'replayed_at', type: 'timestamptz', nullable: true })
  replayedAt!: Date | null;

  @Column({ name: 'replayed_by', type: 'varchar', length: 64, nullable: true })
  replayedBy!: string | null;
}
