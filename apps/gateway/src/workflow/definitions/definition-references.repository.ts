import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { DefinitionReferenceReply } from '@app/contracts';
import { enabledStaffIdsByRef } from '@app/database';

const ID = /^\d{1,18}$/;

/**
 * Which literal people and groups of a definition the directory does not know. Values are matched the
 * way the workflow app matches candidates: a user is a staff id or a sign-in name; a group is a group
 * id, a role code, `role:<code>`, `group:<id>` or `dept:<id>`.
 */
@Injectable()
export class DefinitionReferencesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async unknown(references: readonly DefinitionReferenceReply[]): Promise<DefinitionReferenceReply[]> {
    if (references.length === 0) return [];
    const users = references.filter((r) => r.kind === 'user').map((r) => r.value);
    const groups = references.filter((r) => r.kind === 'group').map((r) => r.value);
    const ids = (values: string[]) => values.filter((v) => ID.test(v));
    const after = (prefix: string) =>
      groups.filter((g) => g.startsWith(prefix)).map((g) => g.slice(prefix.length));
    const plainGroups = groups.filter((g) => !/^(role|group|dept):/.test(g));
    const [staff, staffGroups, roles, departments] = await Promise.all([
      enabledStaffIdsByRef(this.dataSource.manager, users),
      this.values(
        `SELECT id::text AS v FROM core.staff_groups WHERE status = 'enabled' AND id = ANY($1::bigint[])`,
        [ids([...plainGroups, ...after('group:')])],
      ),
      this.values(`SELECT code AS v FROM core.roles WHERE code = ANY($1::text[])`, [
        [...plainGroups, ...after('role:')],
      ]),
      this.values(`SELECT id::text AS v FROM core.departments WHERE id = ANY($1::bigint[])`, [
        ids(after('dept:')),
      ]),
    ]);
    const knownGroup = (value: string): boolean => {
      if (value.startsWith('role:')) return roles.has(value.slice(5));
      if (value.startsWith('group:')) return staffGroups.has(value.slice(6));
      if (value.startsWith('dept:')) return departments.has(value.slice(5));
      return staffGroups.has(value) || roles.has(value);
    };
    return references.filter((r) => (r.kind === 'user' ? !staff.has(r.value) : !knownGroup(r.value)));
  }

  private async values(sql: string, params: unknown[]): Promise<Set<string>> {
    const rows: { v: string }[] = await this.dataSource.query(sql, params);
    return new Set(rows.map((row) => row.v));
  }
}
