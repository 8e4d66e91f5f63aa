import { Client } from 'pg';
import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';
import { listOf, type PageOf } from './crm-helpers';

interface StatRow {
  organizationId: string;
  bucket: string | null;
  signAmount?: string;
  signCount?: number;
  demandCount?: number;
  followUpCount?: number;
  firstSignTime?: string;
  firstRecordTime?: string;
}

const TZ = 'Asia/Shanghai';
const FROM = '2025-01-01 00:00:00';
const TO = '2026-12-31 23:59:59';

/**
 * Statistics against an independent SQL computation on generated data: random contracts, demand changes
 * and follow-ups over two years plus records on the time-zone edges of months, quarters and years,
 * soft-deleted records and a deleted organization (none of which may count).
 */
describe('crm statistics', () => {
  let stack: Stack;
  let admin: HttpClient;
  let db: Client;
  let adminId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_stats', withWorkflow: false });
    const session = await loginAsAdmin(stack.http);
    admin = session.http;
    adminId = session.staffId;
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query('SELECT setseed(0.42)');
    await db.query(
      `INSERT INTO core.crm_organization (name, creator_id, deleted_at)
       SELECT 'org ' || g, $1, CASE WHEN g = 7 THEN now() END FROM generate_series(1, 12) g`,
      [adminId],
    );
    // random records between 2024-12-20 and 2027-01-10 (some outside the window), 5% deleted
    const random = `timestamptz '2024-12-20 00:00:00+00' + random() * interval '751 days'`;
    // correlated with g, so that each row draws its own organization
    const org = `(SELECT id FROM core.crm_organization WHERE g > 0 ORDER BY random() LIMIT 1)`;
    await db.query(
      `INSERT INTO core.crm_contract (organization_id, name, amount, sign_time, creator_id, deleted_at)
       SELECT ${org}, 'c' || g, round((random() * 100000)::numeric, 2), ${random}, $1,
              CASE WHEN random() < 0.05 THEN now() END
         FROM generate_series(1, 600) g`,
      [adminId],
    );
    await db.query(
      `INSERT INTO core.crm_demand (organization_id, content, record_time, creator_id, deleted_at)
       SELECT ${org}, 'd' || g, ${random}, $1, CASE WHEN random() < 0.05 THEN now() END FROM generate_series(1, 600) g`,
      [adminId],
    );
    await db.query(
      `INSERT INTO core.crm_potential (organization_id, director_id, record_time, creator_id)
       SELECT id, $1, now(), $1 FROM core.crm_organization`,
      [adminId],
    );
    await db.query(
      `INSERT INTO core.crm_follow_up (potential_id, organization_id, record_time, creator_id, deleted_at)
       SELECT p.id, p.organization_id, ${random}, $1, CASE WHEN random() < 0.05 THEN now() END
         FROM generate_series(1, 900) g
         CROSS JOIN LATERAL (SELECT id, organization_id FROM core.crm_potential WHERE g > 0 ORDER BY random() LIMIT 1) p`,
      [adminId],
    );
    // the edges, in UTC: 2025-12-31 23:59:59.999 and 2026-01-01 00:00 Shanghai; 2025-03-31 / 04-01 (Q1|Q2);
    // the window's own edges 2025-01-01 00:00:00 and 2026-12-31 23:59:59 Shanghai (inside), one ms outside
    const edges = [
      '2025-12-31T15:59:59.999Z',
      '2025-12-31T16:00:00.000Z',
      '2025-03-31T15:59:59.999Z',
      '2025-03-31T16:00:00.000Z',
      '2024-12-31T16:00:00.000Z',
      '2024-12-31T15:59:59.999Z',
      '2026-12-31T15:59:59.000Z',
      '2026-12-31T15:59:59.001Z',
    ];
    for (const at of edges) {
      await db.query(
        `INSERT INTO core.crm_contract (organization_id, name, amount, sign_time, creator_id)
         SELECT min(id), 'edge', 1.01, $1, $2 FROM core.crm_organization WHERE deleted_at IS NULL`,
        [at, adminId],
      );
    }
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  /** Every row of a statistic, all pages. */
  async function all(path: string): Promise<StatRow[]> {
    const rows: StatRow[] = [];
    for (let pageNum = 1; ; pageNum += 1) {
      const page: PageOf<StatRow> = await listOf<StatRow>(admin, `${path}&pageSize=200&pageNum=${pageNum}`);
      rows.push(...page.rows);
      if (rows.length >= page.total) return rows;
    }
  }

  /** The same figures by a different route: extract() of the local time, grouped in SQL. */
  async function expected(table: string, timeColumn: string, bucket: string | null) {
    const local = `timezone('${TZ}', t.${timeColumn})`;
    const label =
      bucket === 'month'
        ? `extract(year FROM ${local})::int || '-' || lpad(extract(month FROM ${local})::int::text, 2, '0')`
        : bucket === 'quarter'
          ? `extract(year FROM ${local})::int || '-Q' || extract(quarter FROM ${local})::int`
          : bucket === 'year'
            ? `extract(year FROM ${local})::int::text`
            : 'NULL';
    const amount = table === 'crm_contract' ? 'sum(t.amount)::numeric(16,2)::text' : 'NULL';
    const { rows } = await db.query<{
      org: string;
      label: string | null;
      amount: string | null;
      n: number;
      first: Date;
    }>(
      `SELECT t.organization_id::text AS org, ${label} AS label, ${amount} AS amount, count(*)::int AS n, min(t.${timeColumn}) AS first
         FROM core.${table} t
        WHERE t.deleted_at IS NULL
          AND t.${timeColumn} >= timestamp '${FROM}' AT TIME ZONE '${TZ}'
          AND t.${timeColumn} <= timestamp '${TO}' AT TIME ZONE '${TZ}'
          AND EXISTS (SELECT 1 FROM core.crm_organization o WHERE o.id = t.organization_id AND o.deleted_at IS NULL)
        GROUP BY t.organization_id, 2 ORDER BY t.organization_id, 2`,
    );
    return rows;
  }

  const window = `startTime=${encodeURIComponent(FROM)}&endTime=${encodeURIComponent(TO)}`;

  it.each([null, 'month', 'quarter', 'year'])(
    'signing, demands and follow-ups equal the independent SQL (bucket %s)',
    async (bucket) => {
      const b = bucket ? `&bucket=${bucket}` : '';
      const signing = await all(`/api/v1/stats/signing?${window}${b}`);
      const wantSigning = await expected('crm_contract', 'sign_time', bucket);
      expect(
        signing.map((r) => [r.organizationId, r.bucket, r.signAmount, r.signCount, r.firstSignTime]),
      ).toEqual(wantSigning.map((r) => [r.org, r.label, r.amount, r.n, r.first.toISOString()]));
      const demands = await all(`/api/v1/stats/demands?${window}${b}`);
      const wantDemands = await expected('crm_demand', 'record_time', bucket);
      expect(demands.map((r) => [r.organizationId, r.bucket, r.demandCount, r.firstRecordTime])).toEqual(
        wantDemands.map((r) => [r.org, r.label, r.n, r.first.toISOString()]),
      );
      const followUps = await all(`/api/v1/stats/follow-ups?${window}${b}`);
      const wantFollowUps = await expected('crm_follow_up', 'record_time', bucket);
      expect(followUps.map((r) => [r.organizationId, r.bucket, r.followUpCount, r.firstRecordTime])).toEqual(
        wantFollowUps.map((r) => [r.org, r.label, r.n, r.first.toISOString()]),
      );
      expect(signing.length).toBeGreaterThan(0);
    },
  );

  it('buckets by the business time zone at month, quarter and year edges', async () => {
    const edgeOrg = (await db.query<{ id: string }>('SELECT min(id)::text AS id FROM core.crm_organization'))
      .rows[0].id;
    const only = async (from: string, to: string, bucket: string) =>
      (
        await all(
          `/api/v1/stats/signing?organizationIds=${edgeOrg}&startTime=${from}&endTime=${to}&bucket=${bucket}`,
        )
      ).map((r) => [r.bucket, r.signCount]);
    const { rows } = await db.query<{ label: string; n: number }>(
      `SELECT to_char(timezone('${TZ}', sign_time), 'YYYY-MM') AS label, count(*)::int AS n FROM core.crm_contract
        WHERE organization_id = $1 AND deleted_at IS NULL AND sign_time BETWEEN '2025-12-31T15:00:00Z' AND '2025-12-31T17:00:00Z'
        GROUP BY 1 ORDER BY 1`,
      [edgeOrg],
    );
    expect(await only('2025-12-31T15:00:00Z', '2025-12-31T17:00:00Z', 'month')).toEqual(
      rows.map((r) => [r.label, r.n]),
    );
    expect(rows.map((r) => r.label)).toEqual(['2025-12', '2026-01']);
    const years = await only('2025-12-31T15:00:00Z', '2025-12-31T17:00:00Z', 'year');
    expect(years.map((r) => r[0])).toEqual(['2025', '2026']);
    const quarters = await only('2025-03-31T15:00:00Z', '2025-03-31T17:00:00Z', 'quarter');
    expect(quarters.map((r) => r[0])).toEqual(['2025-Q1', '2025-Q2']);
    const page = await listOf<StatRow & { bucketStart: string }>(
      admin,
      `/api/v1/stats/signing?organizationIds=${edgeOrg}&startTime=2025-12-31T16:00:00Z&endTime=2025-12-31T16:00:00Z&bucket=quarter`,
    );
    expect(page.rows[0]).toMatchObject({ bucket: '2026-Q1', bucketStart: '2025-12-31T16:00:00.000Z' });
  });

  it('defaults to the last week and filters by organization ids', async () => {
    const orgs = (
      await db.query<{ id: string }>(
        'SELECT id::text AS id FROM core.crm_organization WHERE deleted_at IS NULL ORDER BY id LIMIT 2',
      )
    ).rows;
    const recent = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM core.crm_contract k JOIN core.crm_organization o ON o.id = k.organization_id AND o.deleted_at IS NULL
        WHERE k.deleted_at IS NULL AND k.sign_time BETWEEN now() - interval '7 days' AND now()`,
    );
    const week = await all('/api/v1/stats/signing?x=1');
    expect(week.reduce((sum, r) => sum + (r.signCount ?? 0), 0)).toBe(recent.rows[0].n);
    const two = await all(`/api/v1/stats/demands?${window}&organizationIds=${orgs[0].id},${orgs[1].id}`);
    expect(new Set(two.map((r) => r.organizationId))).toEqual(new Set(orgs.map((o) => o.id)));
    expect((await admin.get('/api/v1/stats/signing?bucket=week')).body).toMatchObject({ code: 4101 });
  });
});
