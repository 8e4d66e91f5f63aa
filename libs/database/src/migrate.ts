import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, type DatabaseSettings } from './data-source';
import type { SchemaDefinition } from './schemas';

// One advisory lock per schema, so replicas starting together apply each migration once.
const LOCK_KEYS: Record<SchemaDefinition['name'], number> = { core: 73_100_001, workflow: 73_100_002 };

export interface MigrationReport {
  schema: string;
  applied: string[];
}

/** Creates the schema if needed and applies pending migrations, serialized across processes. */
export async function migrateSchema(
  schema: SchemaDefinition,
  settings: DatabaseSettings,
): Promise<MigrationReport> {
  const dataSource = createDataSource(schema, {
    ...settings,
    poolSize: 1,
    applicationName: `flowdesk-migrate-${schema.name}`,
  });
  await dataSource.initialize();
  try {
    return await withAdvisoryLock(dataSource, LOCK_KEYS[schema.name], async () => {
      await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${schema.name}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return { schema: schema.name, applied: applied.map((m) => m.name) };
    });
  } finally {
    await dataSource.destroy();
  }
}

async function withAdvisoryLock<T>(dataSource: DataSource, key: number, work: () => Promise<T>): Promise<T> {
  await dataSource.query('SELECT pg_advisory_lock($1)', [key]);
  try {
    return await work();
  } finally {
    await dataSource.query('SELECT pg_advisory_unlock($1)', [key]);
  }
}

/**
 * SQL that would bring the database to the entities: empty when entities and migrations agree.
 * Used by the drift test and by `npm run migration:generate`.
 */
export async function pendingSchemaChanges(
  dataSource: DataSource,
): Promise<{ up: string[]; down: string[] }> {
  const sql = await dataSource.driver.createSchemaBuilder().log();
  return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query) };
}

/** One connection and `SELECT 1`: whether DATABASE_URL leads to a database that answers (boot check). */
export async function probeDatabase(url: string, timeoutMs = 10_000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined); // a drop after the check is not this check's concern
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}
