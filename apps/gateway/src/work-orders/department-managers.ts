import { Injectable } from '@nestjs/common';
import { AppException } from '@app/common';
import { DirectoryRepository } from '../identity/directory/directory.repository';

/**
 * Seed 002 `taskDeptManager`: department names → their managers' staff ids, read from the gateway's
 * directory (core.departments.manager_id) so the workflow app never reads core tables. A name that is
 * unknown, ambiguous or has no manager is refused per name.
 */
@Injectable()
export class DepartmentManagers {
  constructor(private readonly directory: DirectoryRepository) {}

  async resolve(names: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(names)];
    if (wanted.length === 0) return [];
    const rows = await this.directory.managersOfDepartments(wanted);
    const errors: { field: string; reason: string }[] = [];
    const ids: string[] = [];
    wanted.forEach((name, i) => {
      const found = rows.filter((r) => r.name === name);
      if (found.length === 0)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `no department named ${name}` });
      else if (found.length > 1)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `${name} names several departments` });
      else if (!found[0].managerId)
        errors.push({ field: `taskDeptManager[${i}]`, reason: `${name} has no enabled manager` });
      else ids.push(found[0].managerId);
    });
    if (errors.length > 0) throw AppException.invalid(errors);
    return [...new Set(ids)];
  }
}
