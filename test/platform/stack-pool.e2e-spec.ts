import { Client } from 'pg';
import {
  createStaff,
  type EnvelopeBody,
  loginAsAdmin,
  metricSum,
  scrape,
  type Stack,
  startStack,
} from '@app/testing';
import { until } from '../workflow/workflow-helpers';

/**
 * The stack pool (libs/testing stack-pool.ts): a stack stopped by one test file is parked and reused by
 * the next file of the same jest worker with the same configuration. The promise of a fresh stack holds:
 * a file sees no data, cached caller, rate-limit block or metric of the one before, and a stack a file
 * changed (its apps or its database's shape) is never handed out again.
 */
describe('stack pool: a reused stack is a fresh one', () => {
  // Its own configuration: a long principal cache, and an export budget of two per IP and window.
  const options = {
    label: 'stack_pool',
    withWorkflow: false,
    gatewayEnv: { AUTH_CACHE_TTL_SECONDS: '600', RATE_LIMIT_EXPORT_PER_IP: '2' },
  };
  let stack: Stack | undefined;
  afterEach(() => stack?.stop());

  const staffAccounts = async (s: Stack) => {
    const admin = (await loginAsAdmin(s.http)).http;
    const res = await admin.get<EnvelopeBody<{ rows: { account: string }[] }>>(
      '/api/v1/staff?status=all&pageSize=200',
    );
    return res.body.data.rows.map((m) => m.account);
  };
  const exportOrganizations = (s: Stack, token: string) =>
    s.http.get('/api/v1/crm/exports/organizations', { token });

  it('hands the next file the same apps with none of the last file’s data, callers, blocks or metrics', async () => {
    stack = await startStack(options);
    const pid = stack.gateway.pid;
    const admin = await loginAsAdmin(stack.http);
    const bob = await createStaff(admin.http, { account: 'pool_bob' });
    const bobToken = (
      await stack.http.post<EnvelopeBody<{ accessToken: string }>>('/api/v1/auth/login', {
        account: 'pool_bob',
        password: bob.password,
      })
    ).body.data.accessToken;
    expect((await stack.http.get('/api/v1/me', { token: bobToken })).status).toBe(200); // cached now
    for (let i = 0; i < 2; i += 1)
      expect((await exportOrganizations(stack, admin.accessToken)).status).toBe(200);
    expect((await exportOrganizations(stack, admin.accessToken)).status).toBe(429); // blocked in memory
    const meCount = async (s: Stack) =>
      metricSum(await scrape(`${s.gateway.origin}/metrics`), 'flowdesk_http_request_duration_seconds_count', {
        route: '/api/v1/me',
      });
    expect(await meCount(stack)).toBe(1);
    expect(await staffAccounts(stack)).toContain('pool_bob');
    await stack.stop();

    stack = await startStack(options);
    expect(stack.gateway.pid).toBe(pid); // reused, not booted
    expect(await staffAccounts(stack)).not.toContain('pool_bob');
    // bob's session row is gone: a principal cached by the last file must not answer for it
    expect((await stack.http.get('/api/v1/me', { token: bobToken })).status).toBe(401);
    const admin2 = await loginAsAdmin(stack.http);
    expect((await exportOrganizations(stack, admin2.accessToken)).status).toBe(200);
    expect(await meCount(stack)).toBe(1); // the 401 above, not the last file's call as well
    // ids keep counting: nothing an app keeps by id can be mistaken for a new row
    const carol = await createStaff(admin2.http, { account: 'pool_carol' });
    expect(BigInt(carol.id)).toBeGreaterThan(BigInt(bob.id));
  });

  it('pauses a parked stack’s pollers and starts them again for the next file', async () => {
    stack = await startStack(options);
    const origin = stack.gateway.origin;
    const rounds = async () =>
      metricSum(await scrape(`${origin}/metrics`), 'flowdesk_polling_rounds_total', {
        worker: 'workflow event',
      });
    await until(async () => ((await rounds()) > 0 ? true : undefined), 10_000, 'a polling round');
    await stack.stop(); // parked: metrics reset, pollers paused
    await new Promise((r) => setTimeout(r, 1500)); // three of the events poller's 500 ms pauses
    expect(await rounds()).toBe(0);
    stack = await startStack(options);
    expect(stack.gateway.origin).toBe(origin); // the same apps
    await until(async () => ((await rounds()) > 0 ? true : undefined), 10_000, 'a polling round');
  });

  it('parks a stack once the gateway its file added is stopped: the next file gets the same apps, clean', async () => {
    stack = await startStack(options);
    const pid = stack.gateway.pid;
    const extra = await stack.addGateway();
    await createStaff((await loginAsAdmin(extra.http)).http, { account: 'pool_dave' });
    await stack.stop();
    expect(extra.gateway.running).toBe(false);
    stack = await startStack(options);
    expect(stack.gateway.pid).toBe(pid); // reused, not booted
    expect(await staffAccounts(stack)).not.toContain('pool_dave');
  });

  it('boots new apps after a file stopped, paused or killed one', async () => {
    stack = await startStack(options);
    const pid = stack.gateway.pid;
    stack.gateway.pause();
    stack.gateway.resume();
    await stack.stop();
    stack = await startStack(options);
    expect(stack.gateway.pid).not.toBe(pid);
  });

  it('boots new apps after a file changed the database’s shape (a trigger, a function, a table)', async () => {
    stack = await startStack(options);
    const pid = stack.gateway.pid;
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query(`CREATE FUNCTION core.pool_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
    await db.end();
    await stack.stop();
    stack = await startStack(options);
    expect(stack.gateway.pid).not.toBe(pid);
  });
});
