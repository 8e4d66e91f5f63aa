import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import type { ClientContext } from '../shared/client-context';

export enum AuditAction {
  Login = 'auth.login',
  LoginFailed = 'auth.login_failed',
  LoginRateLimited = 'auth.login_rate_limited',
  Logout = 'auth.logout',
  RefreshReuse = 'auth.refresh_reuse',
  PasswordChanged = 'auth.password_changed',
  PasswordChangeFailed = 'auth.password_change_failed',
  PasswordReset = 'auth.password_reset',
  StaffCreated = 'staff.created',
  StaffUpdated = 'staff.updated',
  StaffStatusChanged = 'staff.status_changed',
  StaffRolesChanged = 'staff.roles_changed',
  StaffMenusChanged = 'staff.menus_changed',
  GroupMenusChanged = 'group.menus_changed',
  GroupStatusChanged = 'group.status_changed',
  RoleCreated = 'role.created',
  RoleUpdated = 'role.updated',
  RoleDeleted = 'role.deleted',
  MenuGrantsChanged = 'menu.permissions_changed',
  ApplicationCreated = 'application.created',
  ApplicationUpdated = 'application.updated',
  ApplicationSecretRotated = 'application.secret_rotated',
  ApplicationRevoked = 'application.revoked',
}

export const AUDIT_ACTIONS = Object.values(AuditAction);

export interface AuditEntry {
  action: AuditAction;
  /** Who acted; null for an anonymous failed sign-in. */
  actor: Pick<Actor, 'id' | 'kind'> | null;
  /** The staff member the event is about. */
  subjectStaffId?: string | null;
  target?: { type: string; id: string };
  client?: ClientContext;
  detail?: Record<string, unknown>;
}

/** Appends to the security audit log, inside the caller's transaction when one is given. */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: AuditEntry, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.query(
      `INSERT INTO core.audit_logs
         (action, actor_id, actor_kind, subject_staff_id, target_type, target_id, ip, request_id, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.action,
        entry.actor?.id ?? null,
        entry.actor?.kind ?? null,
        entry.subjectStaffId ?? null,
        entry.target?.type ?? null,
        entry.target?.id ?? null,
        entry.client?.ip ?? null,
        entry.client?.requestId?.slice(0, 128) ?? null,
        JSON.stringify(entry.detail ?? {}),
      ],
    );
  }
}
