import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Events written in the same transaction as the state change that caused them; the gateway fetches
 * them (claiming a lease), handles them and acknowledges. At-least-once: consumers de-duplicate by id.
 */
@Entity({ schema: 'workflow', name: 'outbox_event' })
@Index('ix_outbox_pending', ['deliveredAt', 'availableAt'])
export class OutboxEventEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ name: 'instance_id', type: 'bigint', nullable: true })
  instanceId!: string | null;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  /** Not handed out again before this moment (the lease of the consumer that holds it). */
  @Column({ name: 'available_at', type: 'timestamptz', default: () => 'now()' })
  availableAt!: Date;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;
}
