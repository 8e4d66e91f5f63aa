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
