import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { MenuEntity } from './menu.entity';
import { RoleEntity } from './role.entity';
import { StaffGroupEntity } from './staff-group.entity';
import { StaffEntity } from './staff.entity';

/** Membership of a staff member in a group (员工组). */
@Entity({ schema: 'core', name: 'staff_group_members' })
@Index('ix_staff_group_members_group', ['groupId'])
export class StaffGroupMemberEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @PrimaryColumn({ name: 'group_id', type: 'bigint' })
  groupId!: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_staff_group_members_staff' })
  staff?: Relation<StaffEntity>;

  @ManyToOne(() => StaffGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_staff_group_members_group' })
  group?: Relation<StaffGroupEntity>;
}

@Entity({ schema: 'core', name: 'staff_roles' })
@Index('ix_staff_roles_role', ['roleId'])
export class StaffRoleEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @PrimaryColumn({ name: 'role_id', type: 'bigint' })
  roleId!: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_staff_roles_staff' })
  staff?: Relation<StaffEntity>;

  @ManyToOne(() => RoleEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'role_id', foreignKeyConstraintName: 'fk_staff_roles_role' })
  role?: Relation<RoleEntity>;
}

/** A menu granted to every member of a group. */
@Entity({ schema: 'core', name: 'staff_group_menus' })
@Index('ix_staff_group_menus_menu', ['menuId'])
export class StaffGroupMenuEntity {
  @PrimaryColumn({ name: 'group_id', type: 'bigint' })
  groupId!: string;

  @PrimaryColumn({ name: 'menu_id', type: 'bigint' })
  menuId!: string;

  @ManyToOne(() => StaffGroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_staff_group_menus_group' })
  group?: Relation<StaffGroupEntity>;

  @ManyToOne(() => MenuEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'menu_id', foreignKeyConstraintName: 'fk_staff_group_menus_menu' })
  menu?: Relation<MenuEntity>;
}

/** A menu granted directly to one staff member (seed 001 员工菜单). */
@Entity({ schema: 'core', name: 'staff_menus' })
@Index('ix_staff_menus_menu', ['menuId'])
export class StaffMenuEntity {
  @PrimaryColumn({ name: 'staff_id', type: 'bigint' })
  staffId!: string;

  @PrimaryColumn({ name: 'menu_id', type: 'bigint' })
  menuId!: string;

  @ManyToOne(() => StaffEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'staff_id', foreignKeyConstraintName: 'fk_staff_menus_staff' })
  staff?: Relation<StaffEntity>;

  @ManyToOne(() => MenuEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'menu_id', foreignKeyConstraintName: 'fk_staff_menus_menu' })
  menu?: Relation<MenuEntity>;
}
