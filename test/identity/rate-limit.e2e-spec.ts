import {
  createStaff,
  type EnvelopeBody,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestMember,
} from '@app/testing';

/** Small limits so the test is quick; TRUST_PROXY lets the test speak from several client IPs. */
const LIMITS = {
  LOGIN_RATE_IP_LIMIT: '6',
  LOGIN_RATE_IP_WINDOW_SECONDS: '60',
  LOGIN_RATE_ACCOUNT_LIMIT: '3',
  LOGIN_RATE_ACCOUNT_WINDOW_SECONDS: '60',
  TRUST_PROXY: 'true',
};

describe('identity: brute-force limits (shared by all replicas)', () => {
  let stack: Stack;
  let victim: TestMember;

  beforeAll(async () => {
    stack = await startStack({ label: 'identity_rate', withWorkflow: false, gatewayEnv: LIMITS });
    const admin = (await loginAsAdmin(stack.http.withHeaders({ 'x-forwarded-for': '10.0.0.1' }))).http;
    victim = await createStaff(admin, { account: 'victim', phone: '13900000009' });
  });
  afterAll(() => stack?.stop());

  const attempt = (ip: string, account: string, password: string) =>
    stack.http.post<EnvelopeBody>(
      '/api/v1/auth/login',
      { account, password },
      { headers: { 'x-forwarded-for': ip } },
    );

  it('gives 429 per client IP after the configured number of attempts, whatever the account', async () => {
    const ip = '10.0.1.1';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await attempt(ip, `someone-${i}`, 'guess-123')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401]);
    const blocked = await attempt(ip, 'victim', victim.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 429, reason: 'LOGIN_RATE_LIMITED', data: null });
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // another client is not affected
    expect((await attempt('10.0.1.2', 'victim', victim.password)).status).toBe(200);
  });

  it('gives 429 per account after the configured failures, from any IP and through any alias', async () => {
    // three failures from three addresses, through the account name and the phone number
    expect((await attempt('10.0.2.1', 'victim', 'wrong-1')).status).toBe(401);
    expect((await attempt('10.0.2.2', '13900000009', 'wrong-2')).status).toBe(401);
    expect((await attempt('10.0.2.3', 'victim', 'wrong-3')).status).toBe(401);
    // now even the right password from a fresh address is refused
    const blocked = await attempt('10.0.2.4', '13900000009', victim.password);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 429, reason: 'LOGIN_RATE_LIMITED' });
    // the limit is per account: others sign in
    expect((await attempt('10.0.2.5', 'admin', 'wrong-admin-password')).status).toBe(401);
  });

  it('limits unknown accounts the same way (no hint that they do not exist)', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 4; i += 1) answers.push((await attempt(`10.0.3.${i}`, 'ghost', 'guess-123')).status);
    expect(answers).toEqual([401, 401, 401, 429]);
  });

  it('holds under concurrency: parallel guesses never exceed the account limit', async () => {
    const target = await createStaff(
      (await loginAsAdmin(stack.http.withHeaders({ 'x-forwarded-for': '10.0.4.99' }))).http,
      {
        account: 'parallel',
      },
    );
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => attempt(`10.0.4.${i}`, target.account, `guess-${i}`)),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it('records the refusals in the audit log', async () => {
    const admin = (await loginAsAdmin(stack.http.withHeaders({ 'x-forwarded-for': '10.0.9.9' }))).http;
    const res = await admin.get<EnvelopeBody<{ total: number; rows: { ip: string }[] }>>(
      '/api/v1/audit-logs?action=auth.login_rate_limited',
    );
    expect(res.body.data.total).toBeGreaterThanOrEqual(3);
    expect(res.body.data.rows.map((r) => r.ip)).toContain('10.0.1.1');
  });
});
