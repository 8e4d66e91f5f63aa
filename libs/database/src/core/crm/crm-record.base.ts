import { Column, CreateDateColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The ownership and lifecycle columns every CRM record table repeats: a bigint id, the creator and the
 * creator's department (what data scopes look at), the soft-delete time and the row times. Not a table
 * itself (no `@Entity`); TypeORM gives its columns to each entity that extends it.
 */
export abstract class CrmRecordBase {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'creator_id', type: 'bigint' })
  creatorId!: string;

  /** The creator's department when the record was created: what department data scopes look at. */
  @Column({ name: 'department_id', type: 'bigint', nullable: true })
  departmentId!: string | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
