import { Client } from 'pg';
import { type HttpClient, type Stack, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import {
  expectedStats,
  listOf,
  STATS,
  type StatRow,
  statsReaders,
  type StatsReader,
  type StatsReaders,
} from './crm-helpers';

const CAP = 1_000;
const ORGS = 3_000;

/**
 * Issue 17 aim 3: over many organizations the /api/v1 statistics count at most 1,000 groups (`total` = 1,000,
 * `more: true` beyond) and build the page organization by organization from the daily roll-up; the rows of
 * every page, past the cap too, still equal an independent aggregation of the records, for every scope and
 * for windows that cut days. A narrow window stays exact (`more: false`), and the seed 001 statistics keep
 * their exact `page_info.total`.
 */
describe('crm statistics: capped group count over many organizations', () => {
  let stack: Stack;
  let db: Client;
  let admin: HttpClient;
  let adminId: string;
  let alice: { http: HttpClient; id: string };
  let olga: { http: HttpClient; id: string };
  let departments: { a: string; a1: string; b: string };
  let readers: StatsReaders;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_stats_capped', withWorkflow: false });
    readers = await statsReaders(stack, 'capped');
    ({ db, admin, adminId, alice, olga, departments } = readers);
    await db.query('SELECT setseed(0.29)');
    // a few deleted organizations, which count nothing
    await db.query(
      `INSERT INTO core.crm_organization (name, creator_id, deleted_at)
       SELECT 'capped org ' || g, $1, CASE WHEN g % 97 = 0 THEN now() END FROM generate_series(1, $2) g`,
      [adminId, ORGS],
    );
    await db.query(
      `INSERT INTO core.crm_potential (organization_id, director_id, record_time, creator_id)
       SELECT id, $1, now(), $1 FROM core.crm_organization`,
      [adminId],
    );
    const random = `timestamptz '2025-01-01 00:00:00+00' + random() * interval '500 days'`;
    const columns = `creator_id, department_id, follower_ids, deleted_at`;
    const values = `(ARRAY[$1, $2, $3]::bigint[])[1 + floor(random() * 3)::int],
       (ARRAY[$4, $5, $6, NULL]::bigint[])[1 + floor(random() * 4)::int],
       CASE WHEN random() < 0.1 THEN ARRAY[$2]::bigint[] WHEN random() < 0.1 THEN ARRAY[$3]::bigint[] ELSE '{}' END,
       CASE WHEN random() < 0.05 THEN now() END`;
    const people = [adminId, alice.id, olga.id, departments.a, departments.a1, departments.b];
    const pick = `WITH o AS (SELECT array_agg(organization_id ORDER BY organization_id) AS orgs,
                                    array_agg(id ORDER BY organization_id) AS potentials FROM core.crm_potential),
                       g AS (SELECT g, 1 + floor(random() * ${ORGS})::int AS i FROM generate_series(1, $7) g)`;
    await db.query(
      `INSERT INTO core.crm_contract (organization_id, name, amount, sign_time, ${columns})
       ${pick} SELECT o.orgs[g.i], 'c' || g.g, CASE WHEN g.g % 13 = 0 THEN NULL ELSE round((random() * 10000)::numeric, 2) END,
              ${random}, ${values} FROM g, o`,
      [...people, 9_000],
    );
    await db.query(
      `INSERT INTO core.crm_demand (organization_id, content, record_time, ${columns})
       ${pick} SELECT o.orgs[g.i], 'd' || g.g, ${random}, ${values} FROM g, o`,
      [...people, 9_000],
    );
    await db.query(
      `INSERT INTO core.crm_follow_up (potential_id, organization_id, record_time, ${columns})
       ${pick} SELECT o.potentials[g.i], o.orgs[g.i], ${random}, ${values} FROM g, o`,
      [...people, 12_000],
    );
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  /** Every group of the window, in the API's order, from the records (business days of Shanghai). */
  const expected = (
    stat: (typeof STATS)[number],
    who: StatsReader,
    window: { from: string; to: string },
    bucket: 'month' | null,
  ) => expectedStats(readers, stat, who, window, 'Asia/Shanghai', bucket);

  const query = (window: { from: string; to: string }, bucket: 'month' | null) =>
    `startTime=${encodeURIComponent(window.from)}&endTime=${encodeURIComponent(window.to)}${bucket ? `&bucket=${bucket}` : ''}`;

  /** Pages 1, 7 and 60 (past the cap) and the page after the last group, against the records. */
  async function compare(
    http: HttpClient,
    who: 'admin' | 'alice' | 'olga',
    window: { from: string; to: string },
    totals: 'capped' | 'exact',
  ): Promise<void> {
    for (const bucket of [null, 'month'] as const) {
      for (const stat of STATS) {
        const all = await expected(stat, who, window, bucket);
        const lastPage = Math.ceil(all.length / 20);
        for (const pageNum of [1, 7, 60, lastPage + 1]) {
          const page = await listOf<StatRow>(
            http,
            `/api/v1/stats/${stat.path}?${query(window, bucket)}&pageSize=20&pageNum=${pageNum}`,
          );
          const got = page.rows.map((r) => [
            r.organizationId,
            r.bucket,
            ...(stat.path === 'signing' ? [r.signAmount] : []),
            r[stat.count],
            r[stat.first],
          ]);
          const meta = totals === 'capped' ? { total: CAP, more: true } : { total: all.length, more: false };
          expect({
            stat: stat.path,
            who,
            bucket,
            pageNum,
            total: page.total,
            more: page.more,
            rows: got,
          }).toEqual({
            stat: stat.path,
            who,
            bucket,
            pageNum,
            ...meta,
            rows: all.slice((pageNum - 1) * 20, pageNum * 20),
          });
        }
      }
    }
  }

  // whole days, and a year that starts and ends in the middle of a day (edges read from the records)
  const WHOLE = { from: '2025-01-01T00:00:00+08:00', to: '2026-06-30T23:59:59+08:00' };
  const YEAR_CUT = { from: '2025-03-10T13:30:00Z', to: '2026-03-10T08:15:00.500Z' };
  // a few days: few rows, so every row is aggregated and the total is exact
  const NARROW = { from: '2025-06-01T05:00:00Z', to: '2025-06-04T17:00:00Z' };

  it('caps the total at 1,000 groups with more: true, and every page equals the records, for all and department scope', async () => {
    const count = async (who: 'admin' | 'alice', window: typeof WHOLE) =>
      (await expected(STATS[0], who, window, null)).length;
    expect(await count('admin', YEAR_CUT)).toBeGreaterThan(CAP);
    expect(await count('alice', YEAR_CUT)).toBeGreaterThan(CAP);
    await compare(admin, 'admin', WHOLE, 'capped');
    await compare(admin, 'admin', YEAR_CUT, 'capped');
    await compare(alice.http, 'alice', YEAR_CUT, 'capped');
  }, 300_000);

  it('stays exact (more: false) for a narrow window and for own scope', async () => {
    await compare(admin, 'admin', NARROW, 'exact');
    await compare(alice.http, 'alice', NARROW, 'exact');
    await compare(olga.http, 'olga', YEAR_CUT, 'exact');
  }, 300_000);

  it('reads the roll-up: a day changed behind the records shows on the capped page', async () => {
    const firstPage = async () => {
      const page = await listOf<StatRow>(
        admin,
        `/api/v1/stats/follow-ups?${query(YEAR_CUT, null)}&pageSize=20`,
      );
      expect(page).toMatchObject({ total: CAP, more: true });
      return new Map(page.rows.map((r) => [r.organizationId, r.followUpCount!]));
    };
    const before = await firstPage();
    // a whole day inside YEAR_CUT of an organization on the first page
    const { rows } = await db.query<{ org: string; day: string }>(
      `SELECT r.organization_id::text AS org, r.day::text AS day FROM core.crm_activity_day r
        WHERE r.kind = 'follow_up' AND r.day BETWEEN '2025-03-12' AND '2026-03-09'
          AND r.organization_id = ANY($1::bigint[])
        ORDER BY r.organization_id, r.day LIMIT 1`,
      [[...before.keys()]],
    );
    expect(rows).toHaveLength(1);
    const touch = (delta: number) =>
      db.query(
        `UPDATE core.crm_activity_day SET n = n + $3 WHERE kind = 'follow_up' AND organization_id = $1 AND day = $2::date`,
        [rows[0].org, rows[0].day, delta],
      );
    await touch(1000);
    try {
      expect((await firstPage()).get(rows[0].org)).toBe(before.get(rows[0].org)! + 1000);
    } finally {
      await touch(-1000);
    }
  });

  it('keeps the exact page_info.total on the seed 001 statistics', async () => {
    const login = await fetch(`${stack.http.baseUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const window = { from: '2025-03-10T21:30:00+08:00', to: '2026-03-10T16:15:00+08:00' };
    const seedWindow = `start_time=${encodeURIComponent('2025-03-10 21:30:00')}&end_time=${encodeURIComponent('2026-03-10 16:15:00')}`;
    const answer = await fetch(`${stack.http.baseUrl}/api/stats/follow?${seedWindow}&page=1&count=20`, {
      headers: { cookie },
    });
    const body = (await answer.json()) as { status: number; data: [unknown[], { total: number }] };
    expect(body.status).toBe(0);
    const all = await expected(STATS[2], 'admin', window, null);
    expect(all.length).toBeGreaterThan(CAP);
    expect(body.data[1].total).toBe(all.length);
  });
});
