import { Client } from 'pg';
import { type EnvelopeBody, type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';

/**
 * PostgreSQL going away while both apps run: callers get 5003 (HTTP 503, retryable) with no internals
 * on every surface, and the apps heal by themselves when the database is back.
 */
describe('database outage', () => {
  let stack: Stack;
  let api: HttpClient;
  let admin: Client;

  /** Refuses new connections to the test database and ends the open ones (as a failover would). */
  const cut = async (allow: boolean) => {
    await admin.query(`ALTER DATABASE ${stack.db.name} WITH ALLOW_CONNECTIONS ${allow}`);
    if (!allow)
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [stack.db.name],
      );
  };

  beforeAll(async () => {
    // fresh: the outage cuts the apps' connections, which a parked stack would carry to the next file
    stack = await startStack({ label: 'database_outage', fresh: true });
    api = (await loginAsAdmin(stack.http)).http;
    admin = new Client({ connectionString: stack.db.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
  });
  afterAll(async () => {
    await cut(true).catch(() => undefined);
    await admin?.end();
    await stack?.stop();
  });

  it('answers 5003 / 503 on the platform and seed-004 routes while the database is down, then recovers', async () => {
    expect((await api.get('/api/v1/departments')).status).toBe(200);
    // listed once before: the gateway's kept page must not hide the outage (its change feed is down too)
    expect((await api.get('/api/v1/workflow/definitions')).status).toBe(200);
    await cut(false);
    try {
      for (const path of [
        '/api/v1/departments',
        '/api/v1/workflow/definitions',
        '/workflow/process/list?pageNum=1&pageSize=10',
      ]) {
        // seed 004 requires requestType: the app look-up then meets the outage
        const seed = { headers: { requestType: 'app', appID: 'front', secretKey: 'secret' } };
        const down = await api.get<EnvelopeBody>(path, path.startsWith('/workflow/') ? seed : undefined);
        expect({ path, status: down.status, code: down.body.code }).toEqual({
          path,
          status: 503,
          code: 5003,
        });
        expect(down.text).not.toMatch(/pg_|ALLOW_CONNECTIONS|accepting connections|terminat/i);
      }
      const health = await stack.http.get<EnvelopeBody>('/api/v1/health');
      expect(health.status).toBe(503);
      expect(health.body.code).toBe(5003);
    } finally {
      await cut(true);
    }
    let healed = 0;
    for (let i = 0; i < 50 && healed !== 200; i++) {
      healed = (await api.get('/api/v1/departments')).status;
      if (healed !== 200) await new Promise((r) => setTimeout(r, 200));
    }
    expect(healed).toBe(200);
    expect((await api.get('/api/v1/workflow/definitions')).status).toBe(200);
  });
});
