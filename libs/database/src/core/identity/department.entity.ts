import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import { StaffEntity } from './staff.entity';

/** A node of the department tree; each may have a manager (DESIGN §3). */
@Entity({ schema: 'core', name: 'departments' })
@Index('ix_departments_parent', ['parentId'])
export class DepartmentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ name: 'parent_id', type: 'bigint', nullable: true })
  parentId!: string | null;

  @ManyToOne(() => DepartmentEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_departments_parent' })
  parent?: Relation<DepartmentEntity>;

  @Column({ name: 'manager_id', type: 'bigint', nullable: true })
  managerId!: string | null;

  @ManyToOne(() => StaffEntity, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'manager_id', foreignKeyConstraintName: 'fk_departments_manager' })
  manager?: Relation<StaffEntity>;

  @Column({ name: 'sort_order', type: 'integer', default: 0 })
  sortOrder!: number;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  /** The DingTalk department this one is synced from (directory sync, docs/integrations.md). */
  @Index('uq_departments_dingtalk', { unique: true, where: 'dingtalk_id IS NOT NULL' })
  @Column({ name: 'dingtalk_id', type: 'varchar', length: 64, nullable: true })
  dingtalkId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
