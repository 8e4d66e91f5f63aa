import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface PersonName {
  name: string;
  departmentName: string | null;
}

/**
 * Display names for staff ids or sign-in names that come back from the workflow app (which cannot see
 * the directory): report rows, legacy payloads (assigneeName, startUserName, deptName).
 */
@Injectable()
export class StaffNamesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** By staff id or sign-in name (BPMN files use either). */
  async namesOf(refs: (string | null | undefined)[]): Promise<Map<string, PersonName>> {
    const wanted = [...new Set(refs.filter((r): r is string => !!r))];
    const result = new Map<string, PersonName>();
    if (wanted.length === 0) return result;
    const ids = wanted.filter((r) => /^\d{1,18}$/.test(r));
    const rows: { id: string; account: string | null; name: string; department: string | null }[] =
      await this.dataSource.query(
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
}
