import type { EntityManager } from 'typeorm';
import { STAFF_ID } from '@app/database';

/**
 * Turns a task's assignee and candidate keys (`user:<id>`, `group:<value>`) into staff ids. A group
 * value names a staff group id, a role code, `group:<id>`, `role:<code>` or `dept:<id>` (docs/workflow.md).
 */
export async function resolveRecipients(
  manager: EntityManager,
  assigneeId: string | null | undefined,
  candidates: readonly string[] = [],
): Promise<string[]> {
  const ids = new Set<string>();
  // The workflow app stores staff ids; a name it could not resolve stays on the task (with an
  // incident in monitoring) and reaches nobody here rather than failing the event for ever.
  if (assigneeId && STAFF_ID.test(String(assigneeId))) ids.add(String(assigneeId));
  const groupIds: string[] = [];
  const roleCodes: string[] = [];
  const deptIds: string[] = [];
  for (const key of candidates) {
    if (key.startsWith('user:')) {
      const id = key.slice(5);
      if (/^\d{1,18}$/.test(id)) ids.add(id);
      continue;
    }
    if (!key.startsWith('group:')) continue;
    const value = key.slice(6);
    if (value.startsWith('group:') && /^\d{1,18}$/.test(value.slice(6))) groupIds.push(value.slice(6));
    else if (value.startsWith('role:')) roleCodes.push(value.slice(5));
    else if (value.startsWith('dept:') && /^\d{1,18}$/.test(value.slice(5))) deptIds.push(value.slice(5));
    else {
      if (/^\d{1,18}$/.test(value)) groupIds.push(value);
      roleCodes.push(value);
    }
  }
  if (groupIds.length + roleCodes.length + deptIds.length > 0) {
    const rows: { id: string }[] = await manager.query(
      `SELECT s.id::text AS id FROM core.staff s
        WHERE s.status = 'enabled' AND (
          s.department_id = ANY($3::bigint[])
          OR EXISTS (SELECT 1 FROM core.staff_group_members m WHERE m.staff_id = s.id AND m.group_id = ANY($1::bigint[]))
          OR EXISTS (SELECT 1 FROM core.staff_roles r JOIN core.roles ro ON ro.id = r.role_id
                      WHERE r.staff_id = s.id AND ro.code = ANY($2::text[])))
        LIMIT 1000`,
      [groupIds, roleCodes, deptIds],
    );
    for (const row of rows) ids.add(row.id);
  }
  return [...ids];
}
