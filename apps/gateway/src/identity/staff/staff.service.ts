import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, ErrorCode } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import { hasPermission, type Principal } from '@app/auth';
import type { MenuEntity, StaffEntity, StaffStatus } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { AuditAction, AuditService } from '../audit/audit.service';
import { AuthService } from '../auth/auth.service';
import { DepartmentsRepository } from '../departments/departments.repository';
import { GroupsRepository } from '../groups/groups.repository';
import { MenusRepository } from '../menus/menus.repository';
import { IdentityException, IdentityReason } from '../identity.exception';
import { parseBusinessTime } from '@app/common';
import type { ClientContext } from '../shared/client-context';
import { uniqueViolation } from '../../shared/dto-helpers';
import { assertCanGrant, assertMayTouch } from '../shared/grant-policy';
import { type IdentityChange, IdentityChangeFeed } from '../shared/identity-change-feed';
import {
  type CreateStaffDto,
  mapStaff,
  type PasswordResetDto,
  type PasswordResetResultDto,
  type StaffDto,
  type StaffFieldsDto,
  type StaffListQueryDto,
  type StaffMenusDto,
  type UpdateProfileDto,
  type UpdateStaffDto,
} from './staff.dto';
import { StaffRepository } from './staff.repository';

const UNIQUE_FIELDS: Record<string, string> = {
  uq_staff_account: 'account',
  uq_staff_phone: 'phone',
  uq_staff_employee_no: 'employeeNo',
};

/** Plain columns copied from a DTO when present (undefined = unchanged, null = cleared). */
const PLAIN_FIELDS = [
  'phone',
  'account',
  'employeeNo',
  'realName',
  'nickName',
  'avatarUrl',
  'sex',
  'title',
  'birthday',
  'address',
  'school',
  'education',
  'politicalAffiliation',
  'openId',
  'info',
  'note',
  'type',
] as const;
const TIME_FIELDS = ['entryTime', 'officialTime', 'resignTime'] as const;

type StatusAction = 'disable' | 'enable' | 'delete' | 'restore';
const TRANSITIONS: Record<StatusAction, { from: StaffStatus[]; to: StaffStatus }> = {
  disable: { from: ['enabled', 'disabled'], to: 'disabled' },
  enable: { from: ['enabled', 'disabled'], to: 'enabled' },
  delete: { from: ['enabled', 'disabled', 'deleted'], to: 'deleted' },
  restore: { from: ['deleted', 'enabled'], to: 'enabled' },
};

/**
 * The staff directory (seed 001 员工). Every read and change goes through the caller's data scope: a
 * member outside it is 404, never listed. Role and menu grants need `staff:grant` and never exceed
 * the caller's own rights; a super admin is changed only by another; nobody disables, deletes or
 * resets themselves here.
 */
@Injectable()
export class StaffService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly departments: DepartmentsRepository,
    private readonly groups: GroupsRepository,
    private readonly menuItems: MenusRepository,
    private readonly feed: IdentityChangeFeed,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async list(actor: Actor, query: StaffListQueryDto): Promise<Page<StaffDto>> {
    const { rows, total } = await this.staff.findPageVisibleTo(
      actor,
      {
        status: query.status,
        type: query.type,
        groupIds: query.groupIds,
        departmentId: query.departmentId,
        keyword: query.keyword,
      },
      query,
      query.include === 'menus',
    );
    return toPage(rows.map(mapStaff), total, query);
  }

  async get(actor: Actor, id: string): Promise<StaffDto> {
    const row = await this.staff.findVisible(actor, id);
    if (!row) throw AppException.notFound('staff', id);
    return mapStaff(row);
  }

  async create(principal: Principal, dto: CreateStaffDto, client: ClientContext): Promise<StaffDto> {
    const actor = principal.actor;
    if (!dto.phone && !dto.account) {
      throw AppException.invalid([{ field: 'phone', reason: 'phone or account is required' }]);
    }
    const id = await this.write(async (manager, changed) => {
      await this.checkDepartment(manager, actor, dto.departmentId ?? null);
      const values = this.columns(dto);
      const staffId = await this.staff.insert(manager, { ...values, realName: dto.realName });
      await this.setGroups(manager, staffId, dto.groupIds ?? []);
      const roleIds = dto.roleIds ?? (await this.defaultRoles(manager, dto.type ?? 'staff'));
      if (dto.roleIds !== undefined) await this.checkRoles(manager, actor, dto.roleIds);
      await this.staff.replaceRoles(manager, staffId, roleIds);
      changed({ kind: 'staff', id: staffId });
      await this.auditMember(manager, AuditAction.StaffCreated, actor, staffId, client, { roleIds });
      return staffId;
    });
    return this.get(actor, id);
  }

  async update(
    principal: Principal,
    id: string,
    dto: UpdateStaffDto,
    client: ClientContext,
  ): Promise<StaffDto> {
    const actor = principal.actor;
    await this.write(async (manager, changed) => {
      const current = await this.lockVisible(manager, actor, id);
      const currentRoles = await this.staff.rolesOf(manager, id);
      assertMayTouch(
        actor,
        currentRoles.flatMap((r) => r.permissions),
      );
      if (dto.departmentId !== undefined && dto.departmentId !== current.departmentId) {
        await this.checkDepartment(manager, actor, dto.departmentId);
      }
      const values = this.columns(dto);
      const fields = Object.keys(values);
      const after = { ...current, ...values };
      if (!after.phone && !after.account) {
        throw AppException.invalid([{ field: 'phone', reason: 'phone or account is required' }]);
      }
      if (fields.length > 0) await this.staff.update(id, values, manager);
      if (dto.groupIds !== undefined) {
        await this.setGroups(manager, id, dto.groupIds);
        fields.push('groupIds');
      }
      if (dto.roleIds !== undefined) {
        const before = currentRoles.map((r) => r.id).sort();
        const next = [...new Set(dto.roleIds)].sort();
        if (before.join() !== next.join()) {
          // Roles being removed are grants too: only someone who could grant them may take them away.
          await this.checkRoles(manager, actor, [...new Set([...next, ...before])]);
          await this.staff.replaceRoles(manager, id, next);
          await this.auditMember(manager, AuditAction.StaffRolesChanged, actor, id, client, {
            from: before,
            to: next,
          });
        }
      }
      changed({ kind: 'staff', id });
      if (dto.departmentId !== undefined) changed({ kind: 'all' }); // managers' subtrees may change
      if (fields.length > 0) {
        await this.auditMember(manager, AuditAction.StaffUpdated, actor, id, client, { fields });
      }
    });
    return this.get(actor, id);
  }

  /** `PATCH /me`: only the profile fields of UpdateProfileDto reach this (the pipe strips the rest). */
  async updateProfile(principal: Principal, dto: UpdateProfileDto): Promise<void> {
    // No cache entry depends on profile fields, so no change needs announcing.
    const staffId = principal.staffId!;
    const values = this.columns(dto);
    if (Object.keys(values).length > 0) {
      await this.staff.update(staffId, values);
    }
  }

  async changeStatus(
    principal: Principal,
    id: string,
    action: StatusAction,
    client: ClientContext,
  ): Promise<StaffDto> {
    const actor = principal.actor;
    if (id === principal.staffId) {
      throw IdentityException.denied(IdentityReason.CannotTargetSelf, `you cannot ${action} yourself`);
    }
    await this.write(async (manager, changed) => {
      const current = await this.lockVisible(manager, actor, id);
      assertMayTouch(
        actor,
        (await this.staff.rolesOf(manager, id)).flatMap((r) => r.permissions),
      );
      const transition = TRANSITIONS[action];
      if (!transition.from.includes(current.status)) {
        throw current.status === 'deleted'
          ? IdentityException.inConflict(IdentityReason.StaffDeleted, 'the member is deleted: restore first')
          : IdentityException.inConflict(IdentityReason.StaffNotDeleted, 'the member is not deleted');
      }
      if (current.status === transition.to) return;
      await this.staff.update(id, { status: transition.to }, manager);
      let sessionsEnded = 0;
      if (transition.to !== 'enabled') {
        sessionsEnded = await this.auth.endSessionsOf(manager, id, 'status_changed');
      }
      changed({ kind: 'staff', id });
      await this.auditMember(manager, AuditAction.StaffStatusChanged, actor, id, client, {
        from: current.status,
        to: transition.to,
        sessionsEnded,
      });
    });
    return this.get(actor, id);
  }

  async resetPassword(
    principal: Principal,
    id: string,
    dto: PasswordResetDto,
    client: ClientContext,
  ): Promise<PasswordResetResultDto> {
    const actor = principal.actor;
    if (id === principal.staffId) {
      throw IdentityException.denied(
        IdentityReason.CannotTargetSelf,
        'change your own password with POST /auth/password',
      );
    }
    const mustChangePassword = dto.mustChangePassword ?? true;
    return this.write(async (manager, changed) => {
      const current = await this.lockVisible(manager, actor, id);
      assertMayTouch(
        actor,
        (await this.staff.rolesOf(manager, id)).flatMap((r) => r.permissions),
      );
      if (current.status === 'deleted')
        throw IdentityException.inConflict(IdentityReason.StaffDeleted, 'the member is deleted');
      const result = await this.auth.setPasswordByAdmin(manager, id, dto.password, mustChangePassword);
      changed({ kind: 'staff', id });
      await this.auditMember(manager, AuditAction.PasswordReset, actor, id, client, {
        generated: dto.password === undefined,
        mustChangePassword,
        sessionsEnded: result.sessionsEnded,
      });
      return { ...result, mustChangePassword };
    });
  }

  /** Audits a change to one member, who is both its subject and its target. */
  private auditMember(
    manager: EntityManager,
    action: AuditAction,
    actor: Actor,
    id: string,
    client: ClientContext,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      { action, actor, subjectStaffId: id, target: { type: 'staff', id }, client, detail },
      manager,
    );
  }

  async menus(actor: Actor, id: string): Promise<StaffMenusDto> {
    const row = await this.staff.findVisible(actor, id);
    if (!row) throw AppException.notFound('staff', id);
    const [direct, viaGroups] = await Promise.all([this.staff.directMenus(id), this.staff.groupMenus(id)]);
    const ref = (m: MenuEntity) => ({ id: m.id, name: m.name, content: m.content, note: m.note });
    return { staffId: id, menus: direct.map(ref), groupMenus: viaGroups.map(ref) };
  }

  async setMenus(
    principal: Principal,
    id: string,
    menuIds: string[],
    client: ClientContext,
  ): Promise<StaffMenusDto> {
    const actor = principal.actor;
    await this.write(async (manager, changed) => {
      await this.lockVisible(manager, actor, id);
      assertMayTouch(
        actor,
        (await this.staff.rolesOf(manager, id)).flatMap((r) => r.permissions),
      );
      const wanted = [...new Set(menuIds)];
      const menus = await this.menuItems.findByIds(manager, wanted);
      if (menus.length !== wanted.length)
        throw AppException.invalid([{ field: 'menuIds', reason: 'unknown menu id' }]);
      const before = await this.staff.directMenus(id, manager);
      // Adding or removing a grant both need the right to grant it.
      assertCanGrant(
        actor,
        [...menus, ...before].flatMap((m) => m.permissions),
      );
      await this.staff.replaceMenus(manager, id, wanted);
      changed({ kind: 'staff', id });
      await this.auditMember(manager, AuditAction.StaffMenusChanged, actor, id, client, {
        from: before.map((m) => m.id),
        to: wanted,
      });
    });
    return this.menus(actor, id);
  }

  private write<T>(
    work: (manager: EntityManager, changed: (change: IdentityChange) => void) => Promise<T>,
  ): Promise<T> {
    return this.feed.directoryChange(work).catch((error: unknown) => {
      const constraint = uniqueViolation(error);
      if (constraint) {
        const field = UNIQUE_FIELDS[constraint] ?? 'id';
        throw IdentityException.inConflict(IdentityReason.Duplicate, `${field} is already used`, [
          { field, reason: `${field} is already used by another member` },
        ]);
      }
      throw error;
    });
  }

  private async lockVisible(manager: EntityManager, actor: Actor, id: string): Promise<StaffEntity> {
    const staff = await this.staff.lockVisible(manager, actor, id);
    if (!staff) throw AppException.notFound('staff', id);
    return staff;
  }

  /** A member may be put only into a department the caller's scope reaches (`all` reaches every one). */
  private async checkDepartment(
    manager: EntityManager,
    actor: Actor,
    departmentId: string | null,
  ): Promise<void> {
    if (departmentId !== null && !(await this.departments.exists(manager, departmentId))) {
      throw AppException.invalid([{ field: 'departmentId', reason: 'unknown department' }]);
    }
    if (actor.dataScope === 'all') return;
    if (departmentId === null || !actor.departmentIds.includes(departmentId)) {
      throw IdentityException.denied(
        IdentityReason.DepartmentOutOfScope,
        'the department is outside your data scope',
      );
    }
  }

  private async checkRoles(manager: EntityManager, actor: Actor, roleIds: string[]): Promise<void> {
    if (!hasPermission(actor, 'staff:grant')) {
      throw new AppException(ErrorCode.NoPermission, 'NO_PERMISSION', 'missing permission staff:grant');
    }
    const unique = [...new Set(roleIds)];
    const roles = await this.staff.findRoles(manager, unique);
    if (roles.length !== unique.length)
      throw AppException.invalid([{ field: 'roleIds', reason: 'unknown role id' }]);
    assertCanGrant(
      actor,
      roles.flatMap((r) => r.permissions),
      roles.map((r) => r.dataScope),
    );
  }

  private async setGroups(manager: EntityManager, staffId: string, groupIds: string[]): Promise<void> {
    const unique = [...new Set(groupIds)];
    if (unique.length) {
      const found = await this.groups.countEnabled(manager, unique);
      if (found !== unique.length)
        throw AppException.invalid([{ field: 'groupIds', reason: 'unknown or deleted group id' }]);
    }
    await this.staff.replaceGroups(manager, staffId, unique);
  }

  /** Seed 001 creates members without a role: they get the system role of their type. */
  private async defaultRoles(manager: EntityManager, type: StaffEntity['type']): Promise<string[]> {
    const role = await this.staff.findRoleByCode(manager, type === 'courier' ? 'courier' : 'staff');
    return role ? [role.id] : [];
  }

  private columns(dto: StaffFieldsDto & { realName?: string }): Partial<StaffEntity> {
    const values: Record<string, unknown> = {};
    for (const field of PLAIN_FIELDS) if (dto[field] !== undefined) values[field] = dto[field];
    for (const field of TIME_FIELDS) {
      const value = dto[field];
      if (value === undefined) continue;
      values[field] = value === null ? null : parseBusinessTime(value, this.config.TZ_BUSINESS);
    }
    if (dto.departmentId !== undefined) values.departmentId = dto.departmentId;
    return values as Partial<StaffEntity>;
  }
}
