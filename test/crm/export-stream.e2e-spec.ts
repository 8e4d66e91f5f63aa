import { connect } from 'node:net';
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
  let token: string;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_export_stream', withWorkflow: false });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    token = session.accessToken;
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
    // ORDER BY the table's id: a bare `id` would name the text output column (100001 < 99999 as text)
    const expected = await db.query<{ id: string; name: string }>(
      `SELECT o.id::text AS id, o.name FROM core.crm_organization o WHERE o.deleted_at IS NULL ORDER BY o.created_at DESC, o.id DESC`,
    );
    expect(expected.rows.length).toBeGreaterThan(100_000);
    expect(rows.length).toBe(expected.rows.length);
    expect(rows.map((r) => r.id)).toEqual(expected.rows.map((r) => r.id));
    expect(rows.map((r) => r.name)).toEqual(expected.rows.map((r) => r.name));
  }, 300_000);

  it('rolls back and releases the cursor connection when the client goes away mid-export', async () => {
    // transactions open on the app's connections (the test's own excluded), by backend and start
    const openTransactions = async () =>
      (
        await db.query<{ key: string }>(
          `SELECT pid || '@' || xact_start AS key FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL`,
        )
      ).rows.map((r) => r.key);
    // ~9 MB more, so the file is far larger than what the socket buffers hold for a client that stops reading
    await db.query(
      `INSERT INTO core.crm_organization (name, creator_id, created_at)
       SELECT '长名 ' || g || repeat('x', 180), creator_id, now() FROM generate_series(1, 50000) g,
              (SELECT creator_id FROM core.crm_organization LIMIT 1) c`,
    );
    // a raw client that reads the first bytes and then stops reading: the kernel's receive window stays small
    // (it grows only with what the reader takes), so the export waits on backpressure, its cursor's transaction open
    const url = new URL(`${stack.http.baseUrl}/api/v1/crm/exports/organizations`);
    const socket = connect(Number(url.port), url.hostname);
    const head = await new Promise<string>((resolve, reject) => {
      socket.once('error', reject);
      socket.once('data', (chunk: Buffer) => {
        socket.pause();
        resolve(chunk.toString('latin1'));
      });
      socket.write(
        `GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\nConnection: close\r\n\r\n`,
      );
    });
    expect(head).toMatch(/^HTTP\/1\.1 200 /);
    // the same transaction a second later is the cursor's (background work is shorter)
    const first = await openTransactions();
    await new Promise((r) => setTimeout(r, 1000));
    const cursor = (await openTransactions()).filter((key) => first.includes(key));
    expect(cursor).toHaveLength(1);
    socket.destroy();
    let open = cursor;
    for (let i = 0; i < 100 && open.length > 0; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      open = (await openTransactions()).filter((key) => cursor.includes(key));
    }
    expect(open).toEqual([]);
  }, 120_000);
});
