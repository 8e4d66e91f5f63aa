import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { pageOffset, type PageQueryDto } from '@app/common';
import { MenuEntity, StaffGroupEntity, StaffGroupMenuEntity } from '@app/database';
import { replaceLinks } from '../shared/replace-links';
import type { MenuRefDto } from '../staff/staff.dto';

/** Staff group queries; writes take the caller's transaction (the change feed's). */
@Injectable()
export class GroupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findPage(
    status: StaffGroupEntity['status'] | 'all',
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
  ): Promise<[StaffGroupEntity[], number]> {
    return this.dataSource.manager.findAndCount(StaffGroupEntity, {
      where: status === 'all' ? {} : { status },
      order: { id: 'ASC' },
      skip: pageOffset(page),
      take: page.pageSize,
    });
  }

  findById(id: string): Promise<StaffGroupEntity | null> {
    return this.dataSource.manager.findOne(StaffGroupEntity, { where: { id } });
  }

  lockById(manager: EntityManager, id: string): Promise<StaffGroupEntity | null> {
    return manager.findOne(StaffGroupEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async insert(manager: EntityManager, group: Pick<StaffGroupEntity, 'name' | 'detail'>): Promise<string> {
    const inserted = await manager.insert(StaffGroupEntity, group);
    return String(inserted.identifiers[0].id);
  }

  async update(manager: EntityManager, id: string, values: Partial<StaffGroupEntity>): Promise<void> {
    await manager.update(StaffGroupEntity, { id }, values);
  }

  /** How many of these groups exist and are enabled. */
  countEnabled(manager: EntityManager, ids: string[]): Promise<number> {
    return manager.count(StaffGroupEntity, { where: { id: In(ids), status: 'enabled' } });
  }

  /** The menus a group grants now. */
  menusOf(manager: EntityManager, groupId: string): Promise<MenuEntity[]> {
    return manager
      .getRepository(MenuEntity)
      .createQueryBuilder('m')
      .innerJoin(StaffGroupMenuEntity, 'gm', 'gm.menu_id = m.id')
      .where('gm.group_id = :groupId', { groupId })
      .getMany();
  }

  async replaceMenus(manager: EntityManager, groupId: string, menuIds: string[]): Promise<void> {
    await replaceLinks(
      manager,
      StaffGroupMenuEntity,
      { groupId },
      menuIds.map((menuId) => ({ groupId, menuId })),
    );
  }

  /** The menus of these groups, each group's in menu order, for display. */
  menuRefsOf(groupIds: string[]): Promise<(MenuRefDto & { groupId: string })[]> {
    return this.dataSource.query(
      `SELECT gm.group_id::text AS "groupId", m.id::text AS id, m.name, m.content, m.note
         FROM core.staff_group_menus gm JOIN core.menus m ON m.id = gm.menu_id
        WHERE gm.group_id = ANY($1::bigint[]) ORDER BY m.sort_order, m.id`,
      [groupIds],
    );
  }
}
