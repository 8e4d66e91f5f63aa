import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { AppException, type Page, type PageQueryDto, toPage } from '@app/common';
import type { MenuEntity } from '@app/database';
import { AuditAction, AuditService } from '../audit/audit.service';
import type { ClientContext } from '../shared/client-context';
import { assertCanGrant } from '../shared/grant-policy';
import { IdentityChangeFeed } from '../shared/identity-change-feed';
import { type CreateMenuDto, mapMenu, type MenuDto, type UpdateMenuDto } from './menu.dto';
import { MenusRepository } from './menus.repository';

/** Menu items (seed 001 菜单配置项): grants held directly or through groups. */
@Injectable()
export class MenusService {
  constructor(
    private readonly menus: MenusRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
  ) {}

  async list(query: PageQueryDto): Promise<Page<MenuDto>> {
    const [menus, total] = await this.menus.findPage(query);
    return toPage(menus.map(mapMenu), total, query);
  }

  async get(id: string): Promise<MenuDto> {
    const menu = await this.menus.findById(id);
    if (!menu) throw AppException.notFound('menu', id);
    return mapMenu(menu);
  }

  async create(actor: Actor, dto: CreateMenuDto): Promise<MenuDto> {
    const permissions = [...new Set(dto.permissions ?? [])];
    assertCanGrant(actor, permissions);
    const id = await this.menus.insert({
      name: dto.name,
      content: dto.content ?? null,
      note: dto.note ?? null,
      permissions,
      sortOrder: dto.sortOrder ?? 0,
    });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateMenuDto, client: ClientContext): Promise<MenuDto> {
    await this.feed.directoryChange(async (manager, changed) => {
      const menu = await this.menus.lockById(manager, id);
      if (!menu) throw AppException.notFound('menu', id);
      const values: Partial<MenuEntity> = {};
      for (const field of ['name', 'content', 'note', 'sortOrder'] as const) {
        if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
      }
      if (dto.permissions !== undefined) {
        const permissions = [...new Set(dto.permissions)];
        // Both what is added and what is taken away from every holder are grants.
        assertCanGrant(actor, [...permissions, ...menu.permissions]);
        values.permissions = permissions;
        changed({ kind: 'all' });
        await this.audit.record(
          {
            action: AuditAction.MenuGrantsChanged,
            actor,
            target: { type: 'menu', id },
            client,
            detail: { from: menu.permissions, to: permissions },
          },
          manager,
        );
      }
      if (Object.keys(values).length > 0) await this.menus.update(manager, id, values);
    });
    return this.get(id);
  }

  /** Deleting a menu also removes it from every group and member that held it. */
  async remove(actor: Actor, id: string): Promise<void> {
    await this.feed.directoryChange(async (manager, changed) => {
      const menu = await this.menus.findById(id, manager);
      if (!menu) throw AppException.notFound('menu', id);
      assertCanGrant(actor, menu.permissions);
      await this.menus.delete(manager, id);
      changed({ kind: 'all' });
    });
  }
}
