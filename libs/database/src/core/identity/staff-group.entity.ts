import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** 员工组: enabled (seed 001 `1`) or deleted (`-1`). */
export const GROUP_STATUSES = ['enabled', 'deleted'] as const;
export type GroupStatus = (typeof GROUP_STATUSES)[number];

/** A staff group (员工组); its menus are granted to every member. */
@Entity({ schema: 'core', name: 'staff_groups' })
export class StaffGroupEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** Seed 001 `content` / `groupDetail`. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  detail!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'enabled' })
  status!: GroupStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
