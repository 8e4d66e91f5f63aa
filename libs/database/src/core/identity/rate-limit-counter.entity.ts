import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Fixed-window counters shared by every gateway replica (login attempts per IP and per account).
 * One atomic upsert per hit; rows whose window ended are swept periodically.
 */
@Entity({ schema: 'core', name: 'rate_limit_counters' })
@Index('ix_rate_limit_counters_window', ['windowEndsAt'])
export class RateLimitCounterEntity {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'integer' })
  hits!: number;

  @Column({ name: 'window_ends_at', type: 'timestamptz' })
  windowEndsAt!: Date;
}
