import type { Pool, QueryResult } from 'pg';
import { createDataSource, SCHEMAS } from '@app/database';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { DataSource } from 'typeorm';
import { DefinitionsRepository } from '../definitions.repository';

// The unread-starters query runs before every startable=true list: with many versions stored it must
// probe the partial index ix_definition_starters_unread (migration DefinitionStartersUnread), not read
// the table with every version's XML.
describe('versions with unread starters (medium)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('starters_index');
    dataSource = createDataSource(SCHEMAS.workflow, { url: db.url, poolSize: 2 });
    await dataSource.initialize();
    // 5,000 versions: two stored by an older replica (starters NULL), the rest read
    await dataSource.query(
      `INSERT INTO workflow.process_definition
         (key, version, name, serial_code, xml, fingerprint, suspended, starters, deployed_by)
       SELECT 'p' || (g % 500), g / 500 + 1, 'P', 'P', repeat('<bpmn/>', 200), md5(g::text), false,
              CASE WHEN g % 1700 = 0 THEN NULL ELSE '{}'::text[] END, '1'
         FROM generate_series(1, 5000) g`,
    );
    await dataSource.query('ANALYZE workflow.process_definition');
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('are found through the partial index, and only they', async () => {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    const seen: Array<{ sql: string; params: unknown[] }> = [];
    const query = pool.query.bind(pool) as (sql: string, params?: unknown[]) => Promise<QueryResult>;
    const spy = jest.spyOn(pool, 'query').mockImplementation(((sql: string, params: unknown[]) => {
      seen.push({ sql, params });
      return query(sql, params);
    }) as never);
    const rows = await new DefinitionsRepository(dataSource).withoutStarters(['0']);
    spy.mockRestore();
    expect(rows).toHaveLength(2);
    expect(seen).toHaveLength(1);
    const [{ 'QUERY PLAN': plan }] = (await query(`EXPLAIN (FORMAT JSON) ${seen[0]!.sql}`, seen[0]!.params))
      .rows as Array<{ 'QUERY PLAN': unknown }>;
    const text = JSON.stringify(plan);
    expect(text).toContain('"Index Name":"ix_definition_starters_unread"');
    expect(text).not.toContain('"Node Type":"Seq Scan"');
  });
});
