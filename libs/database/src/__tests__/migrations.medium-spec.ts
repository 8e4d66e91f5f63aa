import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { createDataSource } from '../data-source';
import { migrateSchema, pendingSchemaChanges } from '../migrate';
import { SCHEMAS } from '../schemas';

describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('migrations', { empty: true });
  });
  afterAll(() => db?.drop());

  it('apply on an empty database, each schema with its own migrations table', async () => {
    for (const schema of Object.values(SCHEMAS)) {
      const report = await migrateSchema(schema, { url: db.url });
      expect(report.applied.length).toBe(schema.migrations.length);
    }
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'migrations' ORDER BY 1`,
    );
    await client.end();
    expect(rows.map((r) => r.table_schema)).toEqual(['core', 'workflow']);
  });

  it('are idempotent and serialized: two processes migrating at once apply each migration once', async () => {
    const fresh = await createTestDatabase('migrations_race', { empty: true });
    try {
      const reports = await Promise.all([
        migrateSchema(SCHEMAS.core, { url: fresh.url }),
        migrateSchema(SCHEMAS.core, { url: fresh.url }),
      ]);
      expect(reports[0].applied.length + reports[1].applied.length).toBe(SCHEMAS.core.migrations.length);
    } finally {
      await fresh.drop();
    }
  });

  // Fails when an entity changes without a migration (or a migration without its entity): the drift check of DESIGN §8.
  it.each(Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[])(
    'leave no drift between entities and the %s schema',
    async (name) => {
      const dataSource = createDataSource(SCHEMAS[name], { url: db.url, poolSize: 1 });
      await dataSource.initialize();
      try {
        const { up } = await pendingSchemaChanges(dataSource);
        expect(up).toEqual([]);
      } finally {
        await dataSource.destroy();
      }
    },
  );
});
