import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One element entered and (later) left: the basis of the detail timeline and duration reports. */
@Entity({ schema: 'workflow', name: 'activity_history' })
@Index('ix_history_instance', ['instanceId', 'enteredAt'])
export class ActivityHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'element_type', type: 'varchar', length: 64 })
  elementType!: string;

  @Column({ name: 'element_name', type: 'varchar', length: 255, nullable: true })
  elementName!: string | null;

  @Column({ name: 'execution_id', type: 'varchar', length: 255 })
  executionId!: string;

  @Column({ name: 'task_id', type: 'bigint', nullable: true })
  taskId!: string | null;

  /** Who made it leave (the completer), when a person did. */
  @Column({ name: 'actor_id', type: 'varchar', length: 64, nullable: true })
  actorId!: string | null;

  @Column({ name: 'entered_at', type: 'timestamptz' })
  enteredAt!: Date;

  @Column({ name: 'left_at', type: 'timestamptz', nullable: true })
  leftAt!: Date | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  outcome!: 'completed' | 'cancelled' | null;
}
