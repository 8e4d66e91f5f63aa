import type { Pool, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';
import { dbQueriesTotal } from '@app/observability';

/**
 * One statement straight through the pg pool under TypeORM: no query builder, no entity hydration —
 * for hot read paths, where those were most of a request's CPU (docs/performance.md). Counted in
 * flowdesk_db_queries_total like every TypeORM statement. Values come back as pg parses them
 * (bigint as string, timestamptz as Date): select what the answer needs in the form it needs.
 */
export async function queryRows<T extends QueryResultRow>(
  dataSource: DataSource,
  sql: string,
  params?: unknown[],
): Promise<T[]> {
  const pool = (dataSource.driver as unknown as { master: Pool }).master;
  dbQueriesTotal.inc();
  return (await pool.query<T>(sql, params)).rows;
}

/**
 * Milliseconds until the earliest `due_at` of the rows `from … where` selects falls due, looking at
 * most `withinMs` ahead (so the index scan stays short); 0 when one is due now, null when none is.
 * `from` and `where` are the caller's constant SQL, never input. A polling worker's probe: one
 * statement, no transaction, no lock.
 */
export async function msUntilDue(
  dataSource: DataSource,
  from: string,
  where: string,
  withinMs: number,
): Promise<number | null> {
  const [row] = await queryRows<{ ms: string | null }>(
    dataSource,
    `SELECT ceil(extract(epoch FROM min(due_at) - now()) * 1000)::text AS ms FROM ${from}
      WHERE ${where} AND due_at <= now() + $1 * interval '1 millisecond'`,
    [withinMs],
  );
  return row?.ms == null ? null : Math.max(0, Number(row.ms));
}
