// Shared pieces of the CRM pages: the export download, the people picker's search and the record
// windows the timeline reads.
import { api } from '@/api/client';
import { download } from '@/utils/download';

export type ExportEntity =
  'organizations' | 'customers' | 'potentials' | 'follow-ups' | 'demands' | 'satisfaction' | 'contracts';

/** Downloads the CSV of a list with the list's own filters (the gateway builds it). */
export async function exportList(entity: ExportEntity, query: Record<string, unknown>): Promise<void> {
  const { data, response } = await api.GET('/api/v1/crm/exports/{entity}', {
    params: { path: { entity }, query: query as never },
    parseAs: 'blob',
  });
  if (!response.ok || !data) throw new Error(`HTTP ${response.status}`);
  download(`${entity}.csv`, data as Blob);
}

/**
 * The whole history of a record page: the activity lists default to the last week or year (seed 001),
 * so the timeline asks for every record, including ones dated ahead (a visit planned for next week).
 */
export function wholeHistory(): { startTime: string; endTime: string } {
  const ahead = new Date();
  ahead.setFullYear(ahead.getFullYear() + 10);
  return { startTime: '2000-01-01T00:00:00Z', endTime: ahead.toISOString() };
}

/** Drops empty strings so that optional filters are left out of the query. */
export function compact<T extends Record<string, unknown>>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, v]) => v !== '' && v !== null && v !== undefined),
  ) as Partial<T>;
}
