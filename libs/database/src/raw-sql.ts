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

/** Rows a polling worker takes when they fall due: constant SQL of the caller, never input. */
export interface DueRows {
  from: string;
  where: string;
  /** The due time column, qualified where `from` joins (so a joined table's column cannot make it ambiguous). */
  dueAt: string;
}

/**
 * Milliseconds until the earliest of `rows` falls due, looking at most `withinMs` ahead (so the index
 * scan stays short); 0 when one is due now, null when none is. A polling worker's probe: one
 * statement, no transaction, no lock.
 */
export async function msUntilDue(
  dataSource: DataSource,
  rows: DueRows,
  withinMs: number,
): Promise<number | null> {
  const [row] = await queryRows<{ ms: string | null }>(
    dataSource,
    `SELECT ceil(extract(epoch FROM min(${rows.dueAt}) - now()) * 1000)::text AS ms FROM ${rows.from}
      WHERE ${rows.where} AND ${rows.dueAt} <= now() + $1 * interval '1 millisecond'`,
    [withinMs],
  );
  return row?.ms == null ? null : Math.max(0, Number(row.ms));
}
