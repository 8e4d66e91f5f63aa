import { Client } from 'pg';
import {
  createStaff,
  type EnvelopeBody,
  type HttpAnswer,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  metricSum,
  scrape,
  type Stack,
  startStack,
  type TestMember,
} from '@app/testing';

/**
 * Issue 18: API-wide rate limits per caller and per client IP, per route group, shared by every gateway
 * replica (two gateways on one database here), answered 429 in the error envelope with Retry-After.
 * Small limits through the environment; TRUST_PROXY lets the test speak from many client IPs.
 */
const LIMITS = {
  TRUST_PROXY: 'true',
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_WINDOW_SECONDS: '60',
  RATE_LIMIT_READ_PER_CALLER: '6',
  RATE_LIMIT_READ_PER_IP: '10',
  RATE_LIMIT_WRITE_PER_CALLER: '4',
  RATE_LIMIT_WRITE_PER_IP: '0', // 0 = no limit on that dimension
  RATE_LIMIT_EXPORT_PER_CALLER: '2',
  RATE_LIMIT_LEGACY_PER_IP: '3',
};

let ipSeq = 0;
/** A client address nobody else has used in this file. */
const freshIp = () => `10.18.${Math.floor(ipSeq / 250)}.${(ipSeq++ % 250) + 1}`;

function expectLimited(res: HttpAnswer<unknown>, windowSeconds = 60): void {
  expect(res.status).toBe(429);
  expect(res.body).toMatchObject({ code: 429, reason: 'RATE_LIMITED', data: null });
  expect((res.body as EnvelopeBody).msg).toEqual(expect.any(String));
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(res.headers.get('x-request-id')).toBeTruthy();
}

describe('API-wide rate limits shared by gateway replicas', () => {
  let stack: Stack;
  /** Two replicas with the small limits: what the tests measure. */
  let gateways: HttpClient[];
  /** Set-up traffic (creating members, signing in) goes through a third replica that counts nothing. */
  let admin: HttpClient;
  let adminToken: string;
  const members: TestMember[] = [];

  beforeAll(async () => {
    stack = await startStack({
      label: 'rate_limits',
      withWorkflow: false,
      gatewayEnv: { TRUST_PROXY: 'true', RATE_LIMIT_ENABLED: 'false' },
    });
    const [first, second] = [await stack.addGateway(LIMITS), await stack.addGateway(LIMITS)];
    gateways = [first.http, second.http];
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    adminToken = session.accessToken;
    for (const account of [
      'rl_alice',
      'rl_bob',
      'rl_carol',
      'rl_dave',
      'rl_burst',
      'rl_groups',
      'rl_wait',
      'rl_big',
    ])
      members.push(await createStaff(admin, { account }));
  });
  afterAll(() => stack?.stop());

  const tokenOf = async (member: TestMember) =>
    (await loginAs(stack.http, member.account, member.password)).accessToken;

  it('counts one caller across both gateways and answers 429 with Retry-After past the limit', async () => {
    const token = await tokenOf(members[0]);
    const statuses: number[] = [];
    // alternate replicas and addresses: only the per-caller budget (6 reads) can refuse
    for (let i = 0; i < 6; i += 1)
      statuses.push(
        (await gateways[i % 2].get('/api/v1/me', { token, headers: { 'x-forwarded-for': freshIp() } }))
          .status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    for (const gateway of gateways)
      expectLimited(await gateway.get('/api/v1/me', { token, headers: { 'x-forwarded-for': freshIp() } }));

    // another caller, even from the same replica, is served
    const other = await tokenOf(members[1]);
    expect((await gateways[1].get('/api/v1/me', { token: other })).status).toBe(200);
  });

  it('counts one client IP across callers and gateways, anonymous calls included', async () => {
    const ip = freshIp();
    const [carol, dave] = await Promise.all([tokenOf(members[2]), tokenOf(members[3])]);
    const from = { 'x-forwarded-for': ip };
    const statuses: number[] = [];
    // 10 reads per IP: 4 anonymous (401), 3 by carol, 3 by dave, over both gateways
    for (let i = 0; i < 4; i += 1)
      statuses.push((await gateways[i % 2].get('/api/v1/me', { headers: from })).status);
    for (let i = 0; i < 3; i += 1)
      statuses.push((await gateways[i % 2].get('/api/v1/me', { token: carol, headers: from })).status);
    for (let i = 0; i < 3; i += 1)
      statuses.push((await gateways[(i + 1) % 2].get('/api/v1/me', { token: dave, headers: from })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 200, 200, 200, 200, 200, 200]);

    // the address is spent: even a caller with budget left is refused from it …
    expectLimited(await gateways[0].get('/api/v1/me', { token: carol, headers: from }));
    expectLimited(await gateways[1].get('/api/v1/me', { headers: from }));
    // … and served from another address; probes are never limited
    expect(
      (await gateways[0].get('/api/v1/me', { token: carol, headers: { 'x-forwarded-for': freshIp() } }))
        .status,
    ).toBe(200);
    expect((await gateways[1].get('/api/v1/health/ready', { headers: from })).status).toBe(200);
    expect((await gateways[1].get('/api/v1/health/live', { headers: from })).status).toBe(200);
  });

  it('holds under concurrency: parallel calls through both gateways never exceed the limit', async () => {
    const token = await tokenOf(members[4]);
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        gateways[i % 2].get('/api/v1/me', { token, headers: { 'x-forwarded-for': freshIp() } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('gives each route group its own budget, set per group by the environment', async () => {
    const token = await tokenOf(members[5]);
    const call = (method: 'get' | 'patch', path: string, i: number, body?: unknown) =>
      method === 'get'
        ? gateways[i % 2].get(path, { token, headers: { 'x-forwarded-for': freshIp() } })
        : gateways[i % 2].patch(path, body, { token, headers: { 'x-forwarded-for': freshIp() } });

    // reads: 6 per caller
    for (let i = 0; i < 6; i += 1) expect((await call('get', '/api/v1/me', i)).status).toBe(200);
    expectLimited(await call('get', '/api/v1/me', 6));
    // writes are a group of their own: 4 per caller, still available after the reads ran out
    const writes: number[] = [];
    for (let i = 0; i < 5; i += 1)
      writes.push((await call('patch', '/api/v1/me', i, { nickname: `groups-${i}` })).status);
    expect(writes).toEqual([200, 200, 200, 200, 429]);

    // exports: 2 per caller, counted apart from the admin's reads
    const exportStatuses: number[] = [];
    for (let i = 0; i < 3; i += 1)
      exportStatuses.push(
        (
          await gateways[i % 2].get('/api/v1/crm/exports/customers', {
            token: adminToken,
            headers: { 'x-forwarded-for': freshIp() },
          })
        ).status,
      );
    expect(exportStatuses).toEqual([200, 200, 429]);
    expect(
      (
        await gateways[0].get('/api/v1/crm/customers', {
          token: adminToken,
          headers: { 'x-forwarded-for': freshIp() },
        })
      ).status,
    ).toBe(200);

    // the seed systems' paths: 3 per IP; RATE_LIMIT_WRITE_PER_IP=0 leaves writes unlimited per IP
    const legacyIp = { 'x-forwarded-for': freshIp() };
    const legacy: number[] = [];
    for (let i = 0; i < 4; i += 1)
      legacy.push((await gateways[i % 2].get('/api/customers/list', { headers: legacyIp })).status);
    expect(legacy.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expectLimited(await gateways[1].get('/api/customers/list', { headers: legacyIp }));
    expect(legacy[3]).toBe(429);
  });

  it('counts refusals in /metrics by group and dimension', async () => {
    const texts = await Promise.all(gateways.map((g) => scrape(`${g.baseUrl}/metrics`)));
    const total = (labels: Record<string, string>) =>
      texts.reduce((sum, text) => sum + metricSum(text, 'flowdesk_rate_limited_total', labels), 0);
    expect(total({ group: 'read', dimension: 'caller' })).toBeGreaterThanOrEqual(12);
    expect(total({ group: 'read', dimension: 'ip' })).toBeGreaterThanOrEqual(2);
    expect(total({ group: 'export', dimension: 'caller' })).toBe(1);
    expect(total({ group: 'legacy', dimension: 'ip' })).toBe(2);
  });

  it('takes hits in advance under a large limit, and both replicas together still allow no more than it', async () => {
    // 300 reads a minute per caller: each replica takes 3 hits per upsert (hitsTakenAtOnce)
    const big = { ...LIMITS, RATE_LIMIT_READ_PER_CALLER: '300', RATE_LIMIT_READ_PER_IP: '0' };
    const replicas = [(await stack.addGateway(big)).http, (await stack.addGateway(big)).http];
    const member = members[7];
    const token = await tokenOf(member);
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const counted = async () =>
        (
          await db.query<{ hits: number }>(`SELECT hits FROM core.rate_limit_counters WHERE key = $1`, [
            `api:read:c:staff:${member.id}`,
          ])
        ).rows[0]?.hits;
      const get = (i: number) => replicas[i % 2].get('/api/v1/me', { token });
      // one replica, one after another: the first read takes 3, the next two use them, the fourth takes 3 more
      const seen: (number | undefined)[] = [];
      for (let i = 0; i < 4; i += 1) {
        expect((await get(0)).status).toBe(200);
        seen.push(await counted());
      }
      expect(seen).toEqual([3, 3, 3, 6]);

      // 400 more through both replicas, 16 at a time: the limit holds (the 4 above included); at most
      // 2 hits per replica stay taken and unused
      const statuses: number[] = [];
      for (let batch = 0; batch < 25; batch += 1)
        statuses.push(
          ...(await Promise.all(Array.from({ length: 16 }, (_, i) => get(batch * 16 + i)))).map(
            (a) => a.status,
          ),
        );
      const served = statuses.filter((s) => s === 200).length;
      expect(served + 4).toBeLessThanOrEqual(300);
      expect(served + 4).toBeGreaterThanOrEqual(296);
      expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('serves the caller again once Retry-After has passed', async () => {
    // a replica with a 2-second window (keys are the same; the window is fixed at a key's first hit)
    const quick = await stack.addGateway({
      ...LIMITS,
      RATE_LIMIT_WINDOW_SECONDS: '2',
      RATE_LIMIT_READ_PER_CALLER: '1',
    });
    const token = await tokenOf(members[6]);
    const get = () => quick.http.get('/api/v1/me', { token, headers: { 'x-forwarded-for': freshIp() } });
    expect((await get()).status).toBe(200);
    const refused = await get();
    expectLimited(refused, 2);
    await new Promise((r) => setTimeout(r, Number(refused.headers.get('retry-after')) * 1000 + 200));
    expect((await get()).status).toBe(200);
  });
});
