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
  return {
    name,
    url: `${serverUrl()}/${name}`,
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
