import type { EntityManager } from 'typeorm';

/** A staff id as BPMN files, commands and events write it (a bigint in decimal). */
export const STAFF_ID = /^\d{1,18}$/;

/**
 * Enabled staff members named by staff id or sign-in name (`camunda:assignee="kermit"`), as a map
 * from each ref that matched to the member's id. The one read of the directory by name: the gateway
 * checks people named in commands with it, and the workflow app resolves the people a model names
 * when it creates a task, so every stored assignee and candidate is a staff id (docs/workflow.md).
 */
export async function enabledStaffIdsByRef(
  manager: EntityManager,
  refs: Iterable<string | null | undefined>,
): Promise<Map<string, string>> {
  const wanted = [...new Set([...refs].filter((r): r is string => typeof r === 'string' && r !== ''))];
  const result = new Map<string, string>();
  if (wanted.length === 0) return result;
  const rows: { id: string; account: string | null }[] = await manager.query(
    `SELECT id::text AS id, account FROM core.staff
      WHERE status = 'enabled' AND (id = ANY($1::bigint[]) OR account = ANY($2::text[]))`,
    [wanted.filter((r) => STAFF_ID.test(r)), wanted],
  );
  for (const row of rows) result.set(row.id, row.id);
  // a staff id wins over an account name that happens to be digits
  for (const row of rows) if (row.account && !result.has(row.account)) result.set(row.account, row.id);
  return result;
}
