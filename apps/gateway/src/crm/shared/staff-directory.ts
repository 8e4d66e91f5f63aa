import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException } from '@app/common';
import { CrmException } from './crm.exception';
import { staffInScope } from './crm-scope';

/** Staff look-ups of the CRM: display names, and which staff the caller may name on a record. */
@Injectable()
export class StaffDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** `id → real name` of the given staff (deleted staff keep their name on old records). */
  async names(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
    const wanted = [...new Set([...ids].filter((id): id is string => !!id))];
    if (wanted.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, real_name AS name FROM core.staff WHERE id = ANY($1::bigint[])`,
      [wanted],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * Every id names a staff member (not deleted) within the caller's data scope, else 4101 for
   * unknown ids and 4001 for staff outside the scope.
   */
  async assertInScope(
    actor: Actor,
    ids: readonly string[],
    field: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return;
    const rows = (await manager.query(
      `SELECT id::text AS id, department_id::text AS "departmentId" FROM core.staff
        WHERE id = ANY($1::bigint[]) AND status <> 'deleted'`,
      [wanted],
    )) as { id: string; departmentId: string | null }[];
    if (rows.length !== wanted.length) throw AppException.invalid([{ field, reason: 'unknown staff id' }]);
    if (!rows.every((row) => staffInScope(actor, row))) throw CrmException.staffOutOfScope(field);
  }

  /** The staff member with this employee code (seed 003 empCode), if any. */
  async byEmployeeNo(code: string): Promise<{ id: string; departmentId: string | null } | null> {
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, department_id::text AS "departmentId" FROM core.staff WHERE employee_no = $1`,
      [code],
    )) as { id: string; departmentId: string | null }[];
    return rows[0] ?? null;
  }

  /** The department a staff member belongs to now (records keep their creator's department). */
  async departmentOf(staffId: string): Promise<string | null> {
    const rows = (await this.dataSource.query(
      `SELECT department_id::text AS d FROM core.staff WHERE id = $1`,
      [staffId],
    )) as { d: string | null }[];
    return rows[0]?.d ?? null;
  }
}
