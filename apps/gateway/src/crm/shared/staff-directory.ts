import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException } from '@app/common';
import { DirectoryRepository, type DirectoryMember } from '../../identity/directory/directory.repository';
import { CrmException } from './crm.exception';
import { staffInScope } from './crm-scope';

/** The CRM's questions to the staff directory: display names, and which staff the caller may name on a record. */
@Injectable()
export class StaffDirectory {
  constructor(private readonly directory: DirectoryRepository) {}

  /** `id → real name` of the given staff (deleted staff keep their name on old records). */
  async names(ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
    const wanted = [...ids].filter((id): id is string => !!id && /^\d{1,18}$/.test(id));
    const people = await this.directory.names(wanted);
    return new Map(wanted.filter((id) => people.has(id)).map((id) => [id, people.get(id)!.name]));
  }

  /**
   * Every id names a staff member (not deleted) within the caller's data scope, else 4101 for
   * unknown ids and 4001 for staff outside the scope.
   */
  async assertInScope(
    actor: Actor,
    ids: readonly string[],
    field: string,
    manager?: EntityManager,
  ): Promise<void> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return;
    const rows = await this.directory.members(wanted, manager);
    if (rows.length !== wanted.length) throw AppException.invalid([{ field, reason: 'unknown staff id' }]);
    if (!rows.every((row) => staffInScope(actor, row))) throw CrmException.staffOutOfScope(field);
  }

  /** The staff member with this employee code (seed 003 empCode), if any. */
  byEmployeeNo(code: string): Promise<DirectoryMember | null> {
    return this.directory.byEmployeeNo(code);
  }

  /** The department a staff member belongs to now (records keep their creator's department). */
  departmentOf(staffId: string): Promise<string | null> {
    return this.directory.departmentOf(staffId);
  }
}
