import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Copy-to (抄送): a user who gets to see a task and its instance ("copied to me"), not to act on it. */
@Entity({ schema: 'workflow', name: 'task_copy' })
@Index('uq_task_copy_user', ['taskId', 'userId'], { unique: true })
@Index('ix_task_copy_user_created', ['userId', 'createdAt'])
export class TaskCopyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Index('ix_task_copy_instance')
  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'task_id', type: 'bigint' })
  taskId!: string;

  @Column({ name: 'user_id', type: 'varchar', length: 64 })
  userId!: string;

  @Column({ name: 'copied_by', type: 'varchar', length: 64 })
  copiedBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
