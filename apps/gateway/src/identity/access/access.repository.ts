import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { DataScope } from '@app/contracts';
import type { ApplicationStatus, ApplicationType, StaffStatus } from '@app/database';

/** What decides a staff member's rights: status, department, enabled groups, roles and grants. */
export interface StaffAccess {
  staffId: string;
  /** Sign-in name: BPMN files may name a person by it (camunda:assignee="kermit"). */
  account: string | null;
  status: StaffStatus;
  mustChangePassword: boolean;
  departmentId: string | null;
  groupIds: string[];
  roles: string[];
  /** Union of role permissions and of menus held directly or through enabled groups. */
  permissions: string[];
  scopes: DataScope[];
}

export interface SessionAccess extends StaffAccess {
  sessionId: string;
  revokedAt: Date | null;
  expiresAt: Date;
}

export interface ApplicationAccess {
  id: string;
  type: ApplicationType;
  clientId: string;
  secretHash: string;
  status: ApplicationStatus;
  permissions: string[];
  dataScope: DataScope;
}

const STAFF_ACCESS_COLUMNS = `
  st.id::text AS "staffId", st.account, st.status, st.must_change_password AS "mustChangePassword",
  st.department_id::text AS "departmentId",
  ARRAY(SELECT gm.group_id::text FROM core.staff_group_members gm
        JOIN core.staff_groups g ON g.id = gm.group_id AND g.status = 'enabled'
        WHERE gm.staff_id = st.id ORDER BY gm.group_id) AS "groupIds",
  ARRAY(SELECT r.code FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
        WHERE sr.staff_id = st.id ORDER BY r.code) AS roles,
  ARRAY(SELECT r.data_scope FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
        WHERE sr.staff_id = st.id) AS scopes,
  ARRAY(SELECT DISTINCT p FROM (
      SELECT unnest(r.permissions) AS p FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
        WHERE sr.staff_id = st.id
      UNION ALL
      SELECT unnest(m.permissions) FROM core.staff_menus sm JOIN core.menus m ON m.id = sm.menu_id
        WHERE sm.staff_id = st.id
      UNION ALL
      SELECT unnest(m.permissions) FROM core.staff_group_members gm
        JOIN core.staff_groups g ON g.id = gm.group_id AND g.status = 'enabled'
        JOIN core.staff_group_menus gmn ON gmn.group_id = g.id
        JOIN core.menus m ON m.id = gmn.menu_id
        WHERE gm.staff_id = st.id
    ) grants ORDER BY p) AS permissions`;

/** The queries behind authentication: one round trip per cache miss. */
@Injectable()
export class AccessRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findSessionAccess(sessionId: string): Promise<SessionAccess | null> {
    const rows: SessionAccess[] = await this.dataSource.query(
      `SELECT s.id::text AS "sessionId", s.revoked_at AS "revokedAt", s.expires_at AS "expiresAt", ${STAFF_ACCESS_COLUMNS}
         FROM core.auth_sessions s JOIN core.staff st ON st.id = s.staff_id
        WHERE s.id = $1`,
      [sessionId],
    );
    return rows[0] ?? null;
  }

  async findStaffAccess(
    staffId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StaffAccess | null> {
    const rows: StaffAccess[] = await manager.query(
      `SELECT ${STAFF_ACCESS_COLUMNS} FROM core.staff st WHERE st.id = $1`,
      [staffId],
    );
    return rows[0] ?? null;
  }

  /** The department and all below it, for `department_and_below`. */
  async departmentSubtree(departmentId: string): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH RECURSIVE tree AS (
         SELECT id FROM core.departments WHERE id = $1
         UNION
         SELECT d.id FROM core.departments d JOIN tree t ON d.parent_id = t.id
       ) SELECT id::text AS id FROM tree ORDER BY id`,
      [departmentId],
    );
    return rows.map((row) => row.id);
  }

  /** Staff (not deleted) whose account or employee number is the given one, for seed 002's userName / userCode. */
  async findStaffIdBy(column: 'account' | 'employee_no', value: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id::text AS id FROM core.staff WHERE ${column} = $1 AND status <> 'deleted' ORDER BY id LIMIT 2`,
      [value],
    );
    return rows.length === 1 ? rows[0].id : null;
  }

  async findApplication(clientId: string): Promise<ApplicationAccess | null> {
    const rows: ApplicationAccess[] = await this.dataSource.query(
      `SELECT id::text AS id, type, client_id AS "clientId", secret_hash AS "secretHash", status, permissions,
              data_scope AS "dataScope"
         FROM core.applications WHERE client_id = $1`,
      [clientId],
    );
    return rows[0] ?? null;
  }
}
