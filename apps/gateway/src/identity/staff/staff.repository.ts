import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, type EntityManager, In, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { pageOffset, type PageQueryDto } from '@app/common';
import { scopeWhere } from '@app/auth';
import {
  MenuEntity,
  RoleEntity,
  StaffEntity,
  StaffGroupMemberEntity,
  StaffMenuEntity,
  StaffRoleEntity,
} from '@app/database';
import { containsPattern } from '@app/common';
import { replaceLinks } from '../shared/replace-links';
import type { MenuRefDto, RefDto, RoleRefDto, StaffRow, StaffStatusFilter } from './staff.dto';

export interface StaffFilter {
  status: StaffStatusFilter;
  type?: StaffEntity['type'];
  groupIds?: string[];
  departmentId?: string;
  keyword?: string;
}

/** Staff queries; every read takes the caller, so a record outside their data scope is never found. */
@Injectable()
export class StaffRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Staff are scoped by themselves (owner = the record's id) and their department. */
  private visibleTo(
    actor: Actor,
    manager: EntityManager = this.dataSource.manager,
  ): SelectQueryBuilder<StaffEntity> {
    return manager
      .getRepository(StaffEntity)
      .createQueryBuilder('s')
      .where(scopeWhere(actor, { owner: 's.id', department: 's.department_id' }));
  }

  async findPageVisibleTo(
    actor: Actor,
    filter: StaffFilter,
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    withMenus: boolean,
  ): Promise<{ rows: StaffRow[]; total: number }> {
    const query = this.visibleTo(actor);
    if (filter.status === 'normal') query.andWhere(`s.status IN ('enabled', 'disabled')`);
    else if (filter.status !== 'all') query.andWhere('s.status = :status', { status: filter.status });
    if (filter.type) query.andWhere('s.type = :type', { type: filter.type });
    if (filter.departmentId)
      query.andWhere('s.department_id = :departmentId', { departmentId: filter.departmentId });
    if (filter.groupIds?.length) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM core.staff_group_members gm WHERE gm.staff_id = s.id AND gm.group_id IN (:...groupIds))',
        { groupIds: filter.groupIds },
      );
    }
    if (filter.keyword) {
      const pattern = containsPattern(filter.keyword);
      query.andWhere(
        new Brackets((qb) =>
          qb
            .where('s.real_name ILIKE :pattern', { pattern })
            .orWhere('s.nick_name ILIKE :pattern')
            .orWhere('s.account ILIKE :pattern')
            .orWhere('s.phone ILIKE :pattern'),
        ),
      );
    }
    const [staff, total] = await query
      .orderBy('s.id', 'ASC')
      .offset(pageOffset(page))
      .limit(page.pageSize)
      .getManyAndCount();
    return { rows: await this.withDetails(staff, withMenus), total };
  }

  async findVisible(actor: Actor, id: string, manager?: EntityManager): Promise<StaffRow | null> {
    const staff = await this.visibleTo(actor, manager).andWhere('s.id = :id', { id }).getOne();
    return staff ? (await this.withDetails([staff], false, manager))[0] : null;
  }

  /** Locks the row for a change; null when it does not exist or is outside the caller's scope. */
  async lockVisible(manager: EntityManager, actor: Actor, id: string): Promise<StaffEntity | null> {
    return this.visibleTo(actor, manager)
      .andWhere('s.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  async withDetails(
    staff: StaffEntity[],
    withMenus: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StaffRow[]> {
    if (staff.length === 0) return [];
    const ids = staff.map((s) => s.id);
    const [departments, groups, roles, menus] = await Promise.all([
      manager.query(
        `SELECT s.id::text AS "staffId", d.id::text AS id, d.name FROM core.staff s JOIN core.departments d ON d.id = s.department_id WHERE s.id = ANY($1::bigint[])`,
        [ids],
      ) as Promise<(RefDto & { staffId: string })[]>,
      manager.query(
        `SELECT gm.staff_id::text AS "staffId", g.id::text AS id, g.name FROM core.staff_group_members gm
           JOIN core.staff_groups g ON g.id = gm.group_id WHERE gm.staff_id = ANY($1::bigint[]) ORDER BY g.id`,
        [ids],
      ) as Promise<(RefDto & { staffId: string })[]>,
      manager.query(
        `SELECT sr.staff_id::text AS "staffId", r.id::text AS id, r.code, r.name FROM core.staff_roles sr
           JOIN core.roles r ON r.id = sr.role_id WHERE sr.staff_id = ANY($1::bigint[]) ORDER BY r.id`,
        [ids],
      ) as Promise<(RoleRefDto & { staffId: string })[]>,
      withMenus
        ? (manager.query(
            `SELECT sm.staff_id::text AS "staffId", m.id::text AS id, m.name, m.content, m.note FROM core.staff_menus sm
               JOIN core.menus m ON m.id = sm.menu_id WHERE sm.staff_id = ANY($1::bigint[]) ORDER BY m.sort_order, m.id`,
            [ids],
          ) as Promise<(MenuRefDto & { staffId: string })[]>)
        : Promise.resolve([]),
    ]);
    const by = <T extends { staffId: string }>(rows: T[], id: string) =>
      rows.filter((row) => row.staffId === id).map(({ staffId: _, ...rest }) => rest);
    return staff.map((s) => ({
      staff: s,
      department: by(departments, s.id)[0] ?? null,
      groups: by(groups, s.id),
      roles: by(roles, s.id),
      ...(withMenus ? { menus: by(menus, s.id) } : {}),
    }));
  }

  async insert(manager: EntityManager, values: Partial<StaffEntity>): Promise<string> {
    const inserted = await manager.insert(StaffEntity, values);
    return String(inserted.identifiers[0].id);
  }

  async update(
    id: string,
    values: Partial<StaffEntity>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.update(StaffEntity, { id }, values);
  }

  async rolesOf(manager: EntityManager, staffId: string): Promise<RoleEntity[]> {
    return manager
      .getRepository(RoleEntity)
      .createQueryBuilder('r')
      .innerJoin(StaffRoleEntity, 'sr', 'sr.role_id = r.id')
      .where('sr.staff_id = :staffId', { staffId })
      .orderBy('r.id')
      .getMany();
  }

  async replaceGroups(manager: EntityManager, staffId: string, groupIds: string[]): Promise<void> {
    await replaceLinks(
      manager,
      StaffGroupMemberEntity,
      { staffId },
      groupIds.map((groupId) => ({ staffId, groupId })),
    );
  }

  async replaceRoles(manager: EntityManager, staffId: string, roleIds: string[]): Promise<void> {
    await replaceLinks(
      manager,
      StaffRoleEntity,
      { staffId },
      roleIds.map((roleId) => ({ staffId, roleId })),
    );
  }

  async directMenus(
    staffId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<MenuEntity[]> {
    return manager
      .getRepository(MenuEntity)
      .createQueryBuilder('m')
      .innerJoin(StaffMenuEntity, 'sm', 'sm.menu_id = m.id')
      .where('sm.staff_id = :staffId', { staffId })
      .orderBy('m.sort_order')
      .addOrderBy('m.id')
      .getMany();
  }

  /** Menus a member holds through enabled groups. */
  async groupMenus(staffId: string, manager: EntityManager = this.dataSource.manager): Promise<MenuEntity[]> {
    return manager
      .getRepository(MenuEntity)
      .createQueryBuilder('m')
      .where(
        `m.id IN (SELECT gmn.menu_id FROM core.staff_group_menus gmn
           JOIN core.staff_groups g ON g.id = gmn.group_id AND g.status = 'enabled'
           JOIN core.staff_group_members gm ON gm.group_id = g.id WHERE gm.staff_id = :staffId)`,
        { staffId },
      )
      .orderBy('m.sort_order')
      .addOrderBy('m.id')
      .getMany();
  }

  async replaceMenus(manager: EntityManager, staffId: string, menuIds: string[]): Promise<void> {
    await replaceLinks(
      manager,
      StaffMenuEntity,
      { staffId },
      menuIds.map((menuId) => ({ staffId, menuId })),
    );
  }

  async findRoles(manager: EntityManager, ids: string[]): Promise<RoleEntity[]> {
    return ids.length ? manager.find(RoleEntity, { where: { id: In(ids) } }) : [];
  }

  async findRoleByCode(manager: EntityManager, code: string): Promise<RoleEntity | null> {
    return manager.findOne(RoleEntity, { where: { code } });
  }
}
