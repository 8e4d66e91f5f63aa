import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const COMMENT_TYPES = [
  'normal',
  'reject',
  'return',
  'delegate',
  'transfer',
  'stop',
  'revoke',
  'urge',
  'discard',
  'jump',
  'countersign',
  'system',
] as const;
export type CommentType = (typeof COMMENT_TYPES)[number];

@Entity({ schema: 'workflow', name: 'comment' })
@Index('ix_comment_instance', ['instanceId', 'createdAt'])
export class CommentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'instance_id', type: 'bigint' })
  instanceId!: string;

  @Column({ name: 'task_id', type: 'bigint', nullable: true })
  taskId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  type!: CommentType;

  @Column({ name: 'actor_id', type: 'varchar', length: 64 })
  actorId!: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  message!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
