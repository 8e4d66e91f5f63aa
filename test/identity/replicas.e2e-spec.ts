import {
  AppProcess,
  createStaff,
  freePort,
  HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  TEST_ADMIN_PASSWORD,
  TEST_JWT_SECRET,
} from '@app/testing';

/**
 * Two gateway replicas on one database, each caching resolved callers: a logout, a disable or a role
 * change on one must take effect on the other at once (PostgreSQL LISTEN/NOTIFY), not after the
 * cache's TTL (set to an hour here so only the notification can explain the result).
 */
describe('identity: revocation reaches every gateway replica at once', () => {
  let stack: Stack;
  let second: AppProcess;
  let other: HttpClient;

  beforeAll(async () => {
    const cache = { AUTH_CACHE_TTL_SECONDS: '3600' };
    stack = await startStack({ label: 'identity_replicas', withWorkflow: false, gatewayEnv: cache });
    const port = await freePort();
    second = new AppProcess(
      'gateway',
      {
        DATABASE_URL: stack.db.url,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        MIGRATIONS_RUN: 'false',
        HOST: '127.0.0.1',
        PORT: String(port),
        JWT_SECRET: TEST_JWT_SECRET,
        ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
        WORKFLOW_TCP_PORT: String(await freePort()),
        ...cache,
      },
      `http://127.0.0.1:${port}/api/v1/health`,
    );
    await second.start();
    other = new HttpClient(`http://127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
  });

  it('a logout on one replica is refused on the other', async () => {
    const admin = (await loginAsAdmin(stack.http)).http;
    const member = await createStaff(admin, { account: 'roamer' });
    const session = await loginAs(stack.http, member.account, member.password);
    // warm both caches
    expect((await other.get('/api/v1/me', { token: session.accessToken })).status).toBe(200);
    expect((await stack.http.get('/api/v1/me', { token: session.accessToken })).status).toBe(200);

    expect(
      (await stack.http.post('/api/v1/auth/logout', undefined, { token: session.accessToken })).status,
    ).toBe(200);
    await expectSoon(
      async () => (await other.get('/api/v1/me', { token: session.accessToken })).status === 401,
    );
  });

  it('disabling a member or taking a permission away is seen by the other replica', async () => {
    const admin = (await loginAsAdmin(stack.http)).http;
    const member = await createStaff(admin, { account: 'mover' });
    const session = await loginAs(other, member.account, member.password);
    expect((await other.get('/api/v1/staff', { token: session.accessToken })).status).toBe(200);

    // the system role "staff" loses staff:read on replica 1 …
    const roles = await admin.get<{ data: { rows: { id: string; code: string; permissions: string[] }[] } }>(
      '/api/v1/roles?pageSize=200',
    );
    const staffRole = roles.body.data.rows.find((r) => r.code === 'staff')!;
    await admin.patch(`/api/v1/roles/${staffRole.id}`, {
      permissions: staffRole.permissions.filter((p) => p !== 'staff:read'),
    });
    // … and replica 2 refuses at once
    await expectSoon(
      async () => (await other.get('/api/v1/staff', { token: session.accessToken })).status === 403,
    );
    await admin.patch(`/api/v1/roles/${staffRole.id}`, { permissions: staffRole.permissions });

    await admin.post(`/api/v1/staff/${member.id}/disable`);
    // a disabled member's token answers 4002 "account disabled" on every replica (HTTP 403)
    await expectSoon(async () => {
      const answer = await other.get<{ code: number }>('/api/v1/me', { token: session.accessToken });
      return answer.status === 403 && answer.body.code === 4002;
    });
  });
});

/** Notifications cross processes asynchronously: allow a short moment, far below any cache TTL. */
async function expectSoon(check: () => Promise<boolean>, withinMs = 2000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`not true within ${withinMs} ms`);
}
