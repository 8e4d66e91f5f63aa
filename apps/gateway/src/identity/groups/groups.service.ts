import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, type Page, pageOffset, toPage } from '@app/common';
import { hasPermission } from '@app/auth';
import { MenuEntity, StaffGroupEntity, StaffGroupMenuEntity } from '@app/database';
import { AuditAction, AuditService } from '../audit/audit.service';
import type { ClientContext } from '../shared/client-context';
import { assertCanGrant } from '../shared/grant-policy';
import { type IdentityChange, IdentityChangeFeed } from '../shared/identity-change-feed';
import type { MenuRefDto } from '../staff/staff.dto';
import {
  type CreateGroupDto,
  type GroupDto,
  type GroupListQueryDto,
  type GroupRow,
  mapGroup,
  type UpdateGroupDto,
} from './group.dto';

/** Staff groups (员工组): soft delete and restore; their menus are grants to every member. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
  ) {}

  async list(query: GroupListQueryDto): Promise<Page<GroupDto>> {
    const [groups, total] = await this.dataSource.manager.findAndCount(StaffGroupEntity, {
      where: query.status === 'all' ? {} : { status: query.status },
      order: { id: 'ASC' },
      skip: pageOffset(query),
      take: query.pageSize,
    });
    return toPage((await this.details(groups)).map(mapGroup), total, query);
  }

  async get(id: string): Promise<GroupDto> {
    const group = await this.dataSource.manager.findOne(StaffGroupEntity, { where: { id } });
    if (!group) throw AppException.notFound('group', id);
    return mapGroup((await this.details([group]))[0]);
  }

  async create(actor: Actor, dto: CreateGroupDto, client: ClientContext): Promise<GroupDto> {
    const id = await this.feed.transaction(async (manager, changed) => {
      const inserted = await manager.insert(StaffGroupEntity, { name: dto.name, detail: dto.detail ?? null });
      const groupId = String(inserted.identifiers[0].id);
      if (dto.menuIds?.length) await this.setMenus(manager, actor, groupId, dto.menuIds, client, changed);
      return groupId;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateGroupDto, client: ClientContext): Promise<GroupDto> {
    await this.feed.transaction(async (manager, changed) => {
      const group = await manager.findOne(StaffGroupEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!group) throw AppException.notFound('group', id);
      const values: Partial<StaffGroupEntity> = {};
      if (dto.name !== undefined) values.name = dto.name;
      if (dto.detail !== undefined) values.detail = dto.detail;
      if (Object.keys(values).length > 0) await manager.update(StaffGroupEntity, { id }, values);
      if (dto.menuIds !== undefined) await this.setMenus(manager, actor, id, dto.menuIds, client, changed);
    });
    return this.get(id);
  }

  /** Soft delete (seed 001 delgroup): members keep their membership, but the group grants nothing. */
  async setStatus(
    actor: Actor,
    id: string,
    status: StaffGroupEntity['status'],
    client: ClientContext,
  ): Promise<GroupDto> {
    await this.feed.transaction(async (manager, changed) => {
      const group = await manager.findOne(StaffGroupEntity, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!group) throw AppException.notFound('group', id);
      if (group.status === status) return;
      await manager.update(StaffGroupEntity, { id }, { status });
      changed({ kind: 'all' });
      await this.audit.record(
        {
          action: AuditAction.GroupStatusChanged,
          actor,
          target: { type: 'group', id },
          client,
          detail: { from: group.status, to: status },
        },
        manager,
      );
    });
    return this.get(id);
  }

  private async setMenus(
    manager: EntityManager,
    actor: Actor,
    groupId: string,
    menuIds: string[],
    client: ClientContext,
    changed: (change: IdentityChange) => void,
  ): Promise<void> {
    if (!hasPermission(actor, 'staff:grant')) {
      throw new AppException(ErrorCode.NoPermission, 'NO_PERMISSION', 'missing permission staff:grant');
    }
    const wanted = [...new Set(menuIds)];
    const menus = wanted.length ? await manager.find(MenuEntity, { where: { id: In(wanted) } }) : [];
    if (menus.length !== wanted.length)
      throw AppException.invalid([{ field: 'menuIds', reason: 'unknown menu id' }]);
    const before = await manager
      .getRepository(MenuEntity)
      .createQueryBuilder('m')
      .innerJoin(StaffGroupMenuEntity, 'gm', 'gm.menu_id = m.id')
      .where('gm.group_id = :groupId', { groupId })
      .getMany();
    assertCanGrant(
      actor,
      [...menus, ...before].flatMap((m) => m.permissions),
    );
    await manager.delete(StaffGroupMenuEntity, { groupId });
    if (wanted.length)
      await manager.insert(
        StaffGroupMenuEntity,
        wanted.map((menuId) => ({ groupId, menuId })),
      );
    changed({ kind: 'all' });
    await this.audit.record(
      {
        action: AuditAction.GroupMenusChanged,
        actor,
        target: { type: 'group', id: groupId },
        client,
        detail: { from: before.map((m) => m.id), to: wanted },
      },
      manager,
    );
  }

  private async details(groups: StaffGroupEntity[]): Promise<GroupRow[]> {
    if (groups.length === 0) return [];
    const ids = groups.map((g) => g.id);
    const [counts, menus] = await Promise.all([
      this.dataSource.query(
        `SELECT gm.group_id::text AS "groupId", count(*)::int AS n FROM core.staff_group_members gm
           JOIN core.staff s ON s.id = gm.staff_id AND s.status <> 'deleted'
          WHERE gm.group_id = ANY($1::bigint[]) GROUP BY gm.group_id`,
        [ids],
      ) as Promise<{ groupId: string; n: number }[]>,
      this.dataSource.query(
        `SELECT gm.group_id::text AS "groupId", m.id::text AS id, m.name, m.content, m.note
           FROM core.staff_group_menus gm JOIN core.menus m ON m.id = gm.menu_id
          WHERE gm.group_id = ANY($1::bigint[]) ORDER BY m.sort_order, m.id`,
        [ids],
      ) as Promise<(MenuRefDto & { groupId: string })[]>,
    ]);
    return groups.map((group) => ({
      group,
      memberCount: counts.find((c) => c.groupId === group.id)?.n ?? 0,
      menus: menus.filter((m) => m.groupId === group.id).map(({ groupId: _, ...menu }) => menu),
    }));
  }
}
