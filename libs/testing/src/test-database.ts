import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

function serverUrl(): string {
  const url = process.env.FLOWDESK_TEST_SERVER_URL;
  if (!url) throw new Error('FLOWDESK_TEST_SERVER_URL is unset: run tests through jest (global setup)');
  return url;
}

async function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${serverUrl()}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template: one per test file, so files run in parallel. */
export async function createTestDatabase(
  label = 'test',
  options: { empty?: boolean } = {},
): Promise<TestDatabase> {
  const template = process.env.FLOWDESK_TEST_TEMPLATE ?? 'flowdesk_test_template';
  const name = `fd_${label
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(async (client) => {
    // Two clones of one template at the same moment can collide ("being accessed by other users"); with
    // parallel workers that is routine, so retry for a while rather than a number of times.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await client.query(
          options.empty ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`,
        );
        return;
      } catch (error) {
        if (Date.now() > deadline || !/being accessed by other users/.test((error as Error).message))
          throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return testDatabaseOf(name, `${serverUrl()}/${name}`);
}

/** A test database by name (one a parked stack's apps use, taken over by a later test file). */
export function testDatabaseOf(name: string, url: string): TestDatabase {
  return {
    name,
    url,
    drop: () =>
      withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/**
 * The history invariant (issue 14): once an instance has ended, none of its activity-history rows is
 * open. Returns "instance:element" for each violation (empty when the workflow schema is absent).
 */
export async function openHistoryOfEndedInstances(url: string): Promise<string[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('workflow.activity_history') AS t`);
    if (!(exists.rows[0] as { t: string | null }).t) return [];
    const { rows } = await client.query(
      `SELECT i.id, h.element_id FROM workflow.activity_history h
         JOIN workflow.process_instance i ON i.id = h.instance_id
        WHERE i.status <> 'running' AND h.left_at IS NULL ORDER BY h.id LIMIT 20`,
    );
    return (rows as Array<{ id: string; element_id: string }>).map((r) => `${r.id}:${r.element_id}`);
  } finally {
    await client.end();
  }
}

const SNAPSHOT_SCHEMA = 'fd_test_snapshot';
const USER_SCHEMAS = `n.nspname NOT IN ('information_schema', '${SNAPSHOT_SCHEMA}') AND n.nspname NOT LIKE 'pg\\_%'`;

/**
 * What a freshly booted stack's database held, for `resetDatabase`. Plain data: it outlives the test file
 * that took it (jest discards a file's modules, a parked stack is reused by the next file).
 */
export interface DatabaseSnapshot {
  /** Every table the reset empties (all but the migrations tables), quoted. */
  tables: string[];
  /** The tables that held rows, with their columns but generated ones; copied into SNAPSHOT_SCHEMA. */
  kept: { table: string; columns: string }[];
  /** Tables, columns, functions and triggers: a file that changed them leaves a database no reset restores. */
  shape: string;
}

async function withDatabase<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;
const quoteIdent = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** The database's shape (see DatabaseSnapshot.shape) as one hash. */
export function databaseShape(url: string): Promise<string> {
  return withDatabase(url, async (client) => {
    const { rows } = await client.query(
      `SELECT md5(string_agg(item, ',' ORDER BY item)) AS shape FROM (
         SELECT 'schema ' || n.nspname AS item FROM pg_namespace n WHERE ${USER_SCHEMAS}
         UNION ALL
         SELECT 'relation ' || c.oid::regclass || ' ' || c.relkind::text || ' ' || coalesce((
                  SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                    FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_SCHEMAS}
         UNION ALL
         SELECT 'function ' || p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
          WHERE ${USER_SCHEMAS}
         UNION ALL
         SELECT 'trigger ' || t.tgrelid::regclass || ' ' || t.tgname || ' ' || t.tgenabled::text FROM pg_trigger t
          WHERE NOT t.tgisinternal) AS items`,
    );
    return (rows[0] as { shape: string }).shape;
  });
}

/** Copies the rows a freshly booted stack's database holds into a schema of its own, for `resetDatabase`. */
export async function snapshotDatabase(url: string): Promise<DatabaseSnapshot> {
  const shape = await databaseShape(url);
  return withDatabase(url, async (client) => {
    const { rows } = await client.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS "table",
              (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> 'migrations' AND ${USER_SCHEMAS}
        ORDER BY 1`,
    );
    const tables = rows as { table: string; columns: string }[];
    const filled = await client.query(
      tables
        .map((t) => `SELECT ${quoteLiteral(t.table)} AS "table" WHERE EXISTS (SELECT 1 FROM ${t.table})`)
        .join(' UNION ALL '),
    );
    const names = new Set((filled.rows as { table: string }[]).map((r) => r.table));
    const kept = tables.filter((t) => names.has(t.table));
    await client.query(
      [
        `CREATE SCHEMA ${SNAPSHOT_SCHEMA}`,
        ...kept.map(
          (t) =>
            `CREATE TABLE ${SNAPSHOT_SCHEMA}.${quoteIdent(t.table)} AS SELECT ${t.columns} FROM ${t.table}`,
        ),
      ].join(';\n'),
    );
    return { tables: tables.map((t) => t.table), kept, shape };
  });
}

/**
 * Makes the database hold what it held at `snapshot` again, in one transaction: every table emptied and
 * the snapshot's rows copied back. Sequences keep counting (ids never repeat, so nothing an app keeps by
 * id can match a new row), triggers and foreign keys sleep during the copy (session_replication_role).
 */
export async function resetDatabase(url: string, snapshot: DatabaseSnapshot): Promise<void> {
  await withDatabase(url, async (client) => {
    // DELETE where a test left a few rows (TRUNCATE's new files cost ~15 ms a table), TRUNCATE where it
    // left many (a DELETE would leave the next file scanning dead rows)
    const { rows } = await client.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS "table" FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE format('%I.%I', n.nspname, c.relname) = ANY($1) AND pg_relation_size(c.oid) > $2`,
      [snapshot.tables, BIG_TABLE_BYTES],
    );
    const big = new Set((rows as { table: string }[]).map((r) => r.table));
    const small = snapshot.tables.filter((table) => !big.has(table));
    await inOneTransaction(client, [
      'SET LOCAL session_replication_role = replica',
      ...(big.size ? [`TRUNCATE ${[...big].join(', ')}`] : []),
      ...small.map((table) => `DELETE FROM ${table}`),
      ...snapshot.kept.map(
        (t) =>
          `INSERT INTO ${t.table} (${t.columns}) OVERRIDING SYSTEM VALUE SELECT ${t.columns} FROM ${SNAPSHOT_SCHEMA}.${quoteIdent(t.table)}`,
      ),
    ]);
  });
}

const BIG_TABLE_BYTES = 1024 * 1024;

/** A running app's transaction may lock rows in another order: PostgreSQL then aborts one of the two. */
async function inOneTransaction(client: Client, statements: string[]): Promise<void> {
  const script = ['BEGIN', ...statements, 'COMMIT'].join(';\n');
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.query(script);
      return;
    } catch (error) {
      await client.query('ROLLBACK');
      if (attempt >= 5 || (error as { code?: string }).code !== '40P01') throw error;
    }
  }
}
