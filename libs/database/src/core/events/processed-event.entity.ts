import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Workflow events the gateway has handled: delivery is at-least-once, handling is once per event id. */
@Entity({ schema: 'core', name: 'processed_event' })
export class ProcessedEventEntity {
  @PrimaryColumn({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'varchar', length: 64 })
  topic!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
