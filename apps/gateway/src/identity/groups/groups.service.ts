import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import { hasPermission } from '@app/auth';
import type { StaffGroupEntity } from '@app/database';
import { AuditAction, AuditService } from '../audit/audit.service';
import { DirectoryRepository } from '../directory/directory.repository';
import type { ClientContext } from '../shared/client-context';
import { assertCanGrant } from '../shared/grant-policy';
import { type IdentityChange, IdentityChangeFeed } from '../shared/identity-change-feed';
import {
  type CreateGroupDto,
  type GroupDto,
  type GroupListQueryDto,
  type GroupRow,
  mapGroup,
  type UpdateGroupDto,
} from './group.dto';
import { MenusRepository } from '../menus/menus.repository';
import { GroupsRepository } from './groups.repository';

/** Staff groups (员工组): soft delete and restore; their menus are grants to every member. */
@Injectable()
export class GroupsService {
  constructor(
    private readonly groups: GroupsRepository,
    private readonly directory: DirectoryRepository,
    private readonly menus: MenusRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
  ) {}

  async list(query: GroupListQueryDto): Promise<Page<GroupDto>> {
    const [groups, total] = await this.groups.findPage(query.status, query);
    return toPage((await this.details(groups)).map(mapGroup), total, query);
  }

  async get(id: string): Promise<GroupDto> {
    const group = await this.groups.findById(id);
    if (!group) throw AppException.notFound('group', id);
    return mapGroup((await this.details([group]))[0]);
  }

  async create(actor: Actor, dto: CreateGroupDto, client: ClientContext): Promise<GroupDto> {
    const id = await this.feed.directoryChange(async (manager, changed) => {
      const groupId = await this.groups.insert(manager, { name: dto.name, detail: dto.detail ?? null });
      if (dto.menuIds?.length) await this.setMenus(manager, actor, groupId, dto.menuIds, client, changed);
      return groupId;
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateGroupDto, client: ClientContext): Promise<GroupDto> {
    await this.feed.directoryChange(async (manager, changed) => {
      const group = await this.groups.lockById(manager, id);
      if (!group) throw AppException.notFound('group', id);
      const values: Partial<StaffGroupEntity> = {};
      if (dto.name !== undefined) values.name = dto.name;
      if (dto.detail !== undefined) values.detail = dto.detail;
      if (Object.keys(values).length > 0) await this.groups.update(manager, id, values);
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
    await this.feed.directoryChange(async (manager, changed) => {
      const group = await this.groups.lockById(manager, id);
      if (!group) throw AppException.notFound('group', id);
      if (group.status === status) return;
      await this.groups.update(manager, id, { status });
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
    const menus = await this.menus.findByIds(manager, wanted);
    if (menus.length !== wanted.length)
      throw AppException.invalid([{ field: 'menuIds', reason: 'unknown menu id' }]);
    const before = await this.groups.menusOf(manager, groupId);
    assertCanGrant(
      actor,
      [...menus, ...before].flatMap((m) => m.permissions),
    );
    await this.groups.replaceMenus(manager, groupId, wanted);
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
      this.directory.memberCounts('group', ids),
      this.groups.menuRefsOf(ids),
    ]);
    return groups.map((group) => ({
      group,
      memberCount: counts.get(group.id) ?? 0,
      menus: menus.filter((m) => m.groupId === group.id).map(({ groupId: _, ...menu }) => menu),
    }));
  }
}
