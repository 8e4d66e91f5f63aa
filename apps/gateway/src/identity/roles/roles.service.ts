import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { AppException, type Page, type PageQueryDto, toPage } from '@app/common';
import type { RoleEntity } from '@app/database';
import { AuditAction, AuditService } from '../audit/audit.service';
import { DirectoryRepository } from '../directory/directory.repository';
import { IdentityException, IdentityReason } from '../identity.exception';
import type { ClientContext } from '../shared/client-context';
import { uniqueViolation } from '../../shared/dto-helpers';
import { assertCanGrant } from '../shared/grant-policy';
import { IdentityChangeFeed } from '../shared/identity-change-feed';
import { type CreateRoleDto, mapRole, type RoleDto, type UpdateRoleDto } from './role.dto';
import { RolesRepository } from './roles.repository';

/** Roles: permissions plus a data scope. Every change reaches every holder at once. */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly directory: DirectoryRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
  ) {}

  async list(query: PageQueryDto): Promise<Page<RoleDto>> {
    const [roles, total] = await this.roles.findPage(query);
    const counts = await this.directory.memberCounts(
      'role',
      roles.map((r) => r.id),
    );
    return toPage(
      roles.map((role) => mapRole(role, counts.get(role.id) ?? 0)),
      total,
      query,
    );
  }

  async get(id: string): Promise<RoleDto> {
    const role = await this.roles.findById(id);
    if (!role) throw AppException.notFound('role', id);
    return mapRole(role, (await this.directory.memberCounts('role', [id])).get(id) ?? 0);
  }

  async create(actor: Actor, dto: CreateRoleDto, client: ClientContext): Promise<RoleDto> {
    const permissions = [...new Set(dto.permissions)];
    assertCanGrant(actor, permissions, [dto.dataScope]);
    const id = await this.feed
      .directoryChange(async (manager) => {
        const roleId = await this.roles.insert(manager, {
          code: dto.code,
          name: dto.name,
          description: dto.description ?? null,
          permissions,
          dataScope: dto.dataScope,
        });
        await this.audit.record(
          {
            action: AuditAction.RoleCreated,
            actor,
            target: { type: 'role', id: roleId },
            client,
            detail: { code: dto.code, permissions, dataScope: dto.dataScope },
          },
          manager,
        );
        return roleId;
      })
      .catch((error: unknown) => {
        if (uniqueViolation(error)) {
          throw IdentityException.inConflict(IdentityReason.Duplicate, 'code is already used', [
            { field: 'code', reason: 'code is already used by another role' },
          ]);
        }
        throw error;
      });
    return this.get(id);
  }

  async update(actor: Actor, id: string, dto: UpdateRoleDto, client: ClientContext): Promise<RoleDto> {
    await this.feed.directoryChange(async (manager, changed) => {
      const role = await this.roles.lockById(manager, id);
      if (!role) throw AppException.notFound('role', id);
      if (role.code === 'super_admin') {
        throw IdentityException.denied(IdentityReason.SystemRole, 'the super_admin role cannot be changed');
      }
      const permissions = dto.permissions ? [...new Set(dto.permissions)] : role.permissions;
      const dataScope = dto.dataScope ?? role.dataScope;
      // Holders gain what is added and lose what is removed: the caller must hold both.
      assertCanGrant(actor, [...permissions, ...role.permissions], [dataScope, role.dataScope]);
      const values: Partial<RoleEntity> = { permissions, dataScope };
      if (dto.name !== undefined) values.name = dto.name;
      if (dto.description !== undefined) values.description = dto.description;
      await this.roles.update(manager, id, values);
      changed({ kind: 'all' });
      await this.audit.record(
        {
          action: AuditAction.RoleUpdated,
          actor,
          target: { type: 'role', id },
          client,
          detail: {
            code: role.code,
            permissions: { from: role.permissions, to: permissions },
            dataScope: { from: role.dataScope, to: dataScope },
          },
        },
        manager,
      );
    });
    return this.get(id);
  }

  /** System roles stay; a role still held by someone is a conflict (take it away from them first). */
  async remove(actor: Actor, id: string, client: ClientContext): Promise<void> {
    await this.feed.directoryChange(async (manager, changed) => {
      const role = await this.roles.lockById(manager, id);
      if (!role) throw AppException.notFound('role', id);
      if (role.isSystem)
        throw IdentityException.denied(IdentityReason.SystemRole, 'a system role cannot be deleted');
      assertCanGrant(actor, role.permissions, [role.dataScope]);
      if (await this.roles.isHeld(manager, id)) {
        throw IdentityException.inConflict(IdentityReason.RoleInUse, 'the role is still held by staff');
      }
      await this.roles.delete(manager, id);
      changed({ kind: 'all' });
      await this.audit.record(
        {
          action: AuditAction.RoleDeleted,
          actor,
          target: { type: 'role', id },
          client,
          detail: { code: role.code },
        },
        manager,
      );
    });
  }
}
