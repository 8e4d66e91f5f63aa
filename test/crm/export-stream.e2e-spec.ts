import { parse } from 'csv-parse/sync';
import { Client } from 'pg';
import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';

/**
 * CSV export of a large list (issue 17 aim 3): every live record in the list's order (newest first, then
 * by id), across many read chunks and beyond the 100,000 rows an export used to be limited to.
 */
describe('crm CSV export of a large list', () => {
  let stack: Stack;
  let admin: HttpClient;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_export_stream', withWorkflow: false });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    // 101,000 organizations; groups of five share one creation time (the id breaks the tie); every 1,000th is deleted
    await db.query(
      `INSERT INTO core.crm_organization (name, creator_id, created_at, deleted_at)
       SELECT '导出 ' || g, $1, timestamptz '2025-01-01 00:00:00+00' + (g / 5) * interval '1 minute',
              CASE WHEN g % 1000 = 0 THEN now() END
         FROM generate_series(1, 101000) g`,
      [session.staffId],
    );
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('streams every live organization in list order', async () => {
    const answer = await admin.get('/api/v1/crm/exports/organizations');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parse(answer.text, { columns: true, bom: true }) as Record<string, string>[];
    const expected = await db.query<{ id: string; name: string }>(
      `SELECT id::text AS id, name FROM core.crm_organization WHERE deleted_at IS NULL ORDER BY created_at DESC, id DESC`,
    );
    expect(expected.rows.length).toBeGreaterThan(100_000);
    expect(rows.length).toBe(expected.rows.length);
    expect(rows.map((r) => r.id)).toEqual(expected.rows.map((r) => r.id));
    expect(rows.map((r) => r.name)).toEqual(expected.rows.map((r) => r.name));
  }, 300_000);
});
