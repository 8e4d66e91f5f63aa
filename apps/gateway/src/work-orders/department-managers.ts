import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppException } from '@app/common';

/**
 * Seed 002 `taskDeptManager`: department names → their managers' staff ids, read from the gateway's
 * directory (core.departments.manager_id) so the workflow app never reads core tables. A name that is
 * unknown, ambiguous or has no manager is refused per name.
 */
@Injectable()
export class DepartmentManagers {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(names: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(names)];
    if (wanted.length === 0) return [];
    const rows: { name: string; manager_id: string | null }[] = await this.dataSource.query(
      `SELECT d.name, d.manager_id::text AS manager_id FROM core.departments d
        LEFT JOIN core.staff s ON s.id = d.manager_id
       WHERE d.name = ANY($1::text[]) AND (s.id IS NULL OR s.status = 'enabled')`,
      [wanted],
    );
    const errors: { field: string; reason: string }[] = [];
    const ids: string[] = [];
    wanted.forEach((name, i) => {
      const found = rows.filter((r) => r.name === name);
      if (found.length === 0)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `no department named ${name}` });
      else if (found.length > 1)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `${name} names several departments` });
      else if (!found[0].manager_id)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `${name} has no enabled manager` });
      else ids.push(found[0].manager_id);
    });
    if (errors.length > 0) throw AppException.invalid(errors);
    return [...new Set(ids)];
  }
}
