import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { queryRows, STAFF_ID } from '@app/database';

export interface PersonName {
  name: string;
  departmentName: string | null;
}

export interface DirectoryMember {
  id: string;
  departmentId: string | null;
}

export interface DepartmentManagerRow {
  name: string;
  managerId: string | null;
}

/** An enabled member as a message reaches them: display name, sign-in name, the directory's phone. */
export interface DirectoryPerson {
  id: string;
  name: string;
  account: string | null;
  phone: string | null;
}

/** A member's profile with their department and roles (roles in the order they were created). */
export interface MemberProfile {
  account: string | null;
  employeeNo: string | null;
  realName: string;
  phone: string | null;
  departmentId: string | null;
  departmentName: string | null;
  roles: { code: string; name: string }[];
}

/** What staff can be counted as members of. */
export type MembershipKind = 'department' | 'role' | 'group';

/** (set id, staff id) pairs per kind of membership; a member has one department, any roles and groups. */
const MEMBERSHIPS: Record<MembershipKind, string> = {
  department: 'SELECT department_id AS set_id, id AS staff_id FROM core.staff',
  role: 'SELECT role_id AS set_id, staff_id FROM core.staff_roles',
  group: 'SELECT group_id AS set_id, staff_id FROM core.staff_group_members',
};

/**
 * The department of the member whose id is in `staffIdColumn`, as a SQL expression for a query
 * builder: for the data scope (`scopeWhere`'s `department`) of records that keep only a staff id.
 */
export function staffDepartmentSql(staffIdColumn: string): string {
  return `(SELECT st.department_id FROM core.staff st WHERE st.id = ${staffIdColumn})`;
}

/**
 * The one place other features read the staff directory (core.staff, core.departments): names for
 * display, members and their departments, managers. Identity owns these tables; a feature asks here
 * instead of writing its own SQL against them. Methods that take a manager run in the caller's transaction.
 */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Display names by staff id or sign-in name (BPMN files and the workflow app use either); deleted
   * staff keep their names on old records. The map has an entry under each ref that matched.
   */
  async names(refs: Iterable<string | null | undefined>): Promise<Map<string, PersonName>> {
    const wanted = [...new Set([...refs].filter((r): r is string => !!r))];
    const result = new Map<string, PersonName>();
    if (wanted.length === 0) return result;
    const ids = wanted.filter((r) => STAFF_ID.test(r));
    // straight to the pool (no query runner): every list page with people on it asks this
    const rows = await queryRows<{
      id: string;
      account: string | null;
      name: string;
      department: string | null;
    }>(
      this.dataSource,
      `SELECT s.id::text AS id, s.account, s.real_name AS name, d.name AS department
           FROM core.staff s LEFT JOIN core.departments d ON d.id = s.department_id
          WHERE s.id = ANY($1::bigint[]) OR s.account = ANY($2::text[])`,
      [ids, wanted],
    );
    for (const row of rows) {
      const person = { name: row.name, departmentName: row.department };
      result.set(row.id, person);
      if (row.account) result.set(row.account, person);
    }
    return result;
  }

  /**
   * How many members each of these departments, roles or groups has; deleted members do not count,
   * disabled ones do. Ids without members are absent from the map.
   */
  async memberCounts(kind: MembershipKind, ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; n: number }[] = await this.dataSource.query(
      `SELECT m.set_id::text AS id, count(*)::int AS n FROM (${MEMBERSHIPS[kind]}) m
         JOIN core.staff s ON s.id = m.staff_id AND s.status <> 'deleted'
        WHERE m.set_id = ANY($1::bigint[]) GROUP BY m.set_id`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row.n]));
  }

  /** The members (not deleted) among these ids, with their departments. */
  async members(ids: readonly string[], manager?: EntityManager): Promise<DirectoryMember[]> {
    if (ids.length === 0) return [];
    return (manager ?? this.dataSource.manager).query(
      `SELECT id::text AS id, department_id::text AS "departmentId" FROM core.staff
        WHERE id = ANY($1::bigint[]) AND status <> 'deleted'`,
      [[...new Set(ids)]],
    );
  }

  /** The enabled members among these ids, as messages address them. */
  async enabledPeople(ids: readonly string[], manager?: EntityManager): Promise<DirectoryPerson[]> {
    if (ids.length === 0) return [];
    return (manager ?? this.dataSource.manager).query(
      `SELECT id::text AS id, real_name AS name, account, phone FROM core.staff
        WHERE id = ANY($1::bigint[]) AND status = 'enabled'`,
      [[...new Set(ids)]],
    );
  }

  /** A member's profile (any status), or null for an unknown id. */
  async profile(staffId: string): Promise<MemberProfile | null> {
    const rows: MemberProfile[] = await this.dataSource.query(
      `SELECT s.account, s.employee_no AS "employeeNo", s.real_name AS "realName", s.phone,
              d.id::text AS "departmentId", d.name AS "departmentName",
              COALESCE((SELECT json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.id)
                          FROM core.staff_roles sr JOIN core.roles r ON r.id = sr.role_id
                         WHERE sr.staff_id = s.id), '[]'::json) AS roles
         FROM core.staff s LEFT JOIN core.departments d ON d.id = s.department_id
        WHERE s.id = $1`,
      [staffId],
    );
    return rows[0] ?? null;
  }

  async byEmployeeNo(code: string): Promise<DirectoryMember | null> {
    const rows: DirectoryMember[] = await this.dataSource.query(
      `SELECT id::text AS id, department_id::text AS "departmentId" FROM core.staff WHERE employee_no = $1`,
      [code],
    );
    return rows[0] ?? null;
  }

  /** The department a member belongs to now. */
  async departmentOf(staffId: string): Promise<string | null> {
    const rows: { d: string | null }[] = await this.dataSource.query(
      `SELECT department_id::text AS d FROM core.staff WHERE id = $1`,
      [staffId],
    );
    return rows[0]?.d ?? null;
  }

  /** The ids among these that name a department. */
  async existingDepartments(ids: readonly string[], manager?: EntityManager): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT id::text AS id FROM core.departments WHERE id = ANY($1::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Departments with these names and their managers (null when the manager is not enabled). */
  async managersOfDepartments(names: readonly string[]): Promise<DepartmentManagerRow[]> {
    if (names.length === 0) return [];
    return this.dataSource.query(
      `SELECT d.name, s.id::text AS "managerId" FROM core.departments d
         LEFT JOIN core.staff s ON s.id = d.manager_id AND s.status = 'enabled'
        WHERE d.name = ANY($1::text[])`,
      [[...new Set(names)]],
    );
  }

  /**
   * The enabled manager of a member's department, or of the nearest ancestor department whose manager
   * is someone else (a manager's superior). `staffRef` is a staff id or a sign-in name.
   */
  async managerAbove(staffRef: string, manager?: EntityManager): Promise<string | null> {
    const rows: { manager_id: string }[] = await (manager ?? this.dataSource.manager).query(
      `WITH RECURSIVE member AS (
         SELECT id, department_id FROM core.staff
          WHERE (id::text = $1 OR account = $1) AND status = 'enabled' LIMIT 1
       ), chain AS (
         SELECT d.id, d.parent_id, d.manager_id, 0 AS depth
           FROM core.departments d JOIN member m ON d.id = m.department_id
         UNION ALL
         SELECT p.id, p.parent_id, p.manager_id, c.depth + 1
           FROM core.departments p JOIN chain c ON p.id = c.parent_id
          WHERE c.depth < 32
       )
       SELECT c.manager_id::text AS manager_id
         FROM chain c JOIN core.staff s ON s.id = c.manager_id
        WHERE s.status = 'enabled' AND s.id <> (SELECT id FROM member)
        ORDER BY c.depth LIMIT 1`,
      [staffRef],
    );
    return rows[0]?.manager_id ?? null;
  }

  /** Enabled members of any of these groups, roles (by code) or departments, at most `limit`. */
  async enabledMembersOf(
    of: { groupIds: string[]; roleCodes: string[]; departmentIds: string[] },
    limit: number,
    manager?: EntityManager,
  ): Promise<string[]> {
    if (of.groupIds.length + of.roleCodes.length + of.departmentIds.length === 0) return [];
    const rows: { id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT s.id::text AS id FROM core.staff s
        WHERE s.status = 'enabled' AND (
          s.department_id = ANY($3::bigint[])
          OR EXISTS (SELECT 1 FROM core.staff_group_members m WHERE m.staff_id = s.id AND m.group_id = ANY($1::bigint[]))
          OR EXISTS (SELECT 1 FROM core.staff_roles r JOIN core.roles ro ON ro.id = r.role_id
                      WHERE r.staff_id = s.id AND ro.code = ANY($2::text[])))
        LIMIT $4`,
      [of.groupIds, of.roleCodes, of.departmentIds, limit],
    );
    return rows.map((r) => r.id);
  }
}
