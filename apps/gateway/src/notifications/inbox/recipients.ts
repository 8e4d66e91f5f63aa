import type { EntityManager } from 'typeorm';
import { STAFF_ID } from '@app/database';
import type { DirectoryRepository } from '../../identity/directory/directory.repository';

/**
 * Turns a task's assignee and candidate keys (`user:<id>`, `group:<value>`) into staff ids. A group
 * value names a staff group id, a role code, `group:<id>`, `role:<code>` or `dept:<id>` (docs/workflow.md).
 */
export async function resolveRecipients(
  directory: DirectoryRepository,
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
  const members = await directory.enabledMembersOf(
    { groupIds, roleCodes, departmentIds: deptIds },
    1000,
    manager,
  );
  for (const id of members) ids.add(id);
  return [...ids];
}
