import { Client } from 'pg';
import { type HttpClient, loginAsAdmin, type Stack, startStack } from '@app/testing';
import {
  expectedStats,
  listOf,
  type PageOf,
  STATS,
  type StatRow,
  statsReaders,
  type StatsReader,
  type StatsReaders,
} from './crm-helpers';

/**
 * The statistics read whole business days from a daily roll-up kept by triggers (issue 17). Whatever
 * the writes do to the records (move them in time, between organizations and departments, change amounts,
 * soft-delete, restore, hard-delete), every statistic must equal an independent aggregation of the records,
 * for every data scope (all, a department and below with records created or followed elsewhere, own), for
 * windows that cut days in half, and after a rebuild in another business time zone.
 */
describe('crm statistics from the daily roll-up', () => {
  let stack: Stack;
  let db: Client;
  let admin: HttpClient;
  let adminId: string;
  let alice: { http: HttpClient; id: string };
  let olga: { http: HttpClient; id: string };
  let departments: { a: string; a1: string; b: string };
  let readers: StatsReaders;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_rollup', withWorkflow: false });
    readers = await statsReaders(stack, 'rollup');
    ({ db, admin, adminId, alice, olga, departments } = readers);
    await db.query('SELECT setseed(0.17)');
    await db.query(
      `INSERT INTO core.crm_organization (name, creator_id, deleted_at)
       SELECT 'rollup org ' || g, $1, CASE WHEN g = 4 THEN now() END FROM generate_series(1, 8) g`,
      [adminId],
    );
    await db.query(
      `INSERT INTO core.crm_potential (organization_id, director_id, record_time, creator_id)
       SELECT id, $1, now(), $1 FROM core.crm_organization`,
      [adminId],
    );
    const random = `timestamptz '2025-01-01 00:00:00+00' + random() * interval '500 days'`;
    const org = `(SELECT id FROM core.crm_organization WHERE g > 0 ORDER BY random() LIMIT 1)`;
    // creators: admin, alice, olga; departments: A, A1, B or none; a tenth followed by alice or olga
    const columns = `creator_id, department_id, follower_ids, deleted_at`;
    const values = `(ARRAY[$1, $2, $3]::bigint[])[1 + floor(random() * 3)::int],
       (ARRAY[$4, $5, $6, NULL]::bigint[])[1 + floor(random() * 4)::int],
       CASE WHEN random() < 0.1 THEN ARRAY[$2]::bigint[] WHEN random() < 0.1 THEN ARRAY[$3]::bigint[] ELSE '{}' END,
       CASE WHEN random() < 0.05 THEN now() END`;
    const people = [adminId, alice.id, olga.id, departments.a, departments.a1, departments.b];
    await db.query(
      `INSERT INTO core.crm_contract (organization_id, name, amount, sign_time, ${columns})
       SELECT ${org}, 'c' || g, CASE WHEN g % 13 = 0 THEN NULL ELSE round((random() * 10000)::numeric, 2) END,
              ${random}, ${values} FROM generate_series(1, 700) g`,
      people,
    );
    await db.query(
      `INSERT INTO core.crm_demand (organization_id, content, record_time, ${columns})
       SELECT ${org}, 'd' || g, ${random}, ${values} FROM generate_series(1, 700) g`,
      people,
    );
    await db.query(
      `INSERT INTO core.crm_follow_up (potential_id, organization_id, record_time, ${columns})
       SELECT p.id, p.organization_id, ${random}, ${values}
         FROM generate_series(1, 900) g
         CROSS JOIN LATERAL (SELECT id, organization_id FROM core.crm_potential WHERE g > 0 ORDER BY random() LIMIT 1) p`,
      people,
    );
  }, 180_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  async function all(http: HttpClient, path: string): Promise<StatRow[]> {
    const rows: StatRow[] = [];
    for (let pageNum = 1; ; pageNum += 1) {
      const page: PageOf<StatRow> = await listOf<StatRow>(http, `${path}&pageSize=200&pageNum=${pageNum}`);
      rows.push(...page.rows);
      if (rows.length >= page.total) return rows;
    }
  }

  const expected = (
    stat: (typeof STATS)[number],
    who: StatsReader,
    window: { from: string; to: string },
    zone: string,
    bucket: 'month' | null,
  ) => expectedStats(readers, stat, who, window, zone, bucket);

  async function compare(
    http: HttpClient,
    who: 'admin' | 'alice' | 'olga',
    window: { from: string; to: string },
    zone = 'Asia/Shanghai',
  ): Promise<number> {
    let compared = 0;
    for (const bucket of [null, 'month'] as const) {
      for (const stat of STATS) {
        const query = `startTime=${encodeURIComponent(window.from)}&endTime=${encodeURIComponent(window.to)}${bucket ? `&bucket=${bucket}` : ''}`;
        const rows = await all(http, `/api/v1/stats/${stat.path}?${query}`);
        const got = rows.map((r) => [
          r.organizationId,
          r.bucket,
          ...(stat.path === 'signing' ? [r.signAmount] : []),
          r[stat.count],
          r[stat.first],
        ]);
        expect({ stat: stat.path, who, bucket, rows: got }).toEqual({
          stat: stat.path,
          who,
          bucket,
          rows: await expected(stat, who, window, zone, bucket),
        });
        compared += got.length;
      }
    }
    return compared;
  }

  // whole days, and a window that starts and ends in the middle of a day (edges read from the records)
  const WHOLE = { from: '2025-01-01T00:00:00+08:00', to: '2026-06-30T23:59:59+08:00' };
  const CUT = { from: '2025-03-10T13:30:00Z', to: '2026-02-02T08:15:00.500Z' };

  it('holds the whole days of the records in the roll-up and answers every scope as the records do', async () => {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM core.crm_activity_day`);
    expect(rows[0].n).toBeGreaterThan(100);
    expect(await compare(admin, 'admin', WHOLE)).toBeGreaterThan(0);
    expect(await compare(alice.http, 'alice', WHOLE)).toBeGreaterThan(0);
    expect(await compare(olga.http, 'olga', WHOLE)).toBeGreaterThan(0);
    await compare(admin, 'admin', CUT);
    await compare(alice.http, 'alice', CUT);

    // the answer really comes from the roll-up: a day's row changed behind the records' back shows in it
    const { rows: days } = await db.query<{ org: string; day: string; n: number }>(
      `SELECT r.organization_id::text AS org, r.day::text AS day, r.n FROM core.crm_activity_day r
         JOIN core.crm_organization o ON o.id = r.organization_id AND o.deleted_at IS NULL
        WHERE r.kind = 'demand' AND r.day BETWEEN '2025-02-01' AND '2025-12-31' ORDER BY r.day LIMIT 1`,
    );
    const count = async () =>
      (
        await all(
          admin,
          `/api/v1/stats/demands?startTime=${encodeURIComponent(WHOLE.from)}&endTime=${encodeURIComponent(WHOLE.to)}&organizationIds=${days[0].org}`,
        )
      ).reduce((sum, r) => sum + (r.demandCount ?? 0), 0);
    const before = await count();
    const touch = (delta: number) =>
      db.query(
        `UPDATE core.crm_activity_day SET n = n + $3 WHERE kind = 'demand' AND organization_id = $1 AND day = $2::date`,
        [days[0].org, days[0].day, delta],
      );
    await touch(1000);
    try {
      expect(await count()).toBe(before + 1000);
    } finally {
      await touch(-1000);
    }
  });

  it('stays equal to the records through moves, amount changes, deletes, restores and hard deletes', async () => {
    for (const table of ['crm_contract', 'crm_demand', 'crm_follow_up']) {
      const time = table === 'crm_contract' ? 'sign_time' : 'record_time';
      await db.query(
        `UPDATE core.${table} SET ${time} = ${time} + interval '37 days 5 hours' WHERE id % 7 = 0`,
      );
      await db.query(
        `UPDATE core.${table} SET department_id = CASE WHEN department_id IS NULL THEN $1::bigint END WHERE id % 11 = 0`,
        [departments.a1],
      );
      await db.query(
        `UPDATE core.${table} SET organization_id = (SELECT max(id) FROM core.crm_organization) WHERE id % 17 = 0`,
      );
      await db.query(`UPDATE core.${table} SET deleted_at = now() WHERE id % 9 = 0 AND deleted_at IS NULL`);
      await db.query(
        `UPDATE core.${table} SET deleted_at = NULL WHERE id % 5 = 0 AND deleted_at IS NOT NULL`,
      );
      if (table !== 'crm_contract') await db.query(`DELETE FROM core.${table} WHERE id % 23 = 0`);
      // a record that was the first of its day disappears: the day's first time moves to the next one
      await db.query(
        `DELETE FROM core.${table} WHERE id IN (SELECT DISTINCT ON (organization_id) id FROM core.${table}
          WHERE deleted_at IS NULL ORDER BY organization_id, ${time})`,
      );
    }
    await db.query(`UPDATE core.crm_contract SET amount = amount * 2 WHERE id % 3 = 0`);
    await db.query(`UPDATE core.crm_contract SET amount = NULL WHERE id % 19 = 0`);
    await db.query(`DELETE FROM core.crm_contract WHERE id % 23 = 0`);

    // the roll-up itself equals an aggregation of the live records
    const drift = await db.query(
      `WITH truth AS (
         SELECT 'contract' AS kind, organization_id, department_id, (sign_time AT TIME ZONE 'Asia/Shanghai')::date AS day,
                count(*)::int AS n, COALESCE(sum(amount), 0) AS amount, min(sign_time) AS first
           FROM core.crm_contract WHERE deleted_at IS NULL GROUP BY 2, 3, 4
         UNION ALL
         SELECT 'demand', organization_id, department_id, (record_time AT TIME ZONE 'Asia/Shanghai')::date, count(*)::int, 0, min(record_time)
           FROM core.crm_demand WHERE deleted_at IS NULL GROUP BY 2, 3, 4
         UNION ALL
         SELECT 'follow_up', organization_id, department_id, (record_time AT TIME ZONE 'Asia/Shanghai')::date, count(*)::int, 0, min(record_time)
           FROM core.crm_follow_up WHERE deleted_at IS NULL GROUP BY 2, 3, 4)
       SELECT * FROM (SELECT * FROM truth EXCEPT SELECT kind, organization_id, department_id, day, n, amount, first FROM core.crm_activity_day) a
       UNION ALL
       SELECT * FROM (SELECT kind, organization_id, department_id, day, n, amount, first FROM core.crm_activity_day EXCEPT SELECT * FROM truth) b`,
    );
    expect(drift.rows).toEqual([]);
    await compare(admin, 'admin', WHOLE);
    await compare(alice.http, 'alice', CUT);
    await compare(olga.http, 'olga', WHOLE);
  });

  it('rebuilds the roll-up when the gateway starts in another business time zone', async () => {
    const { http } = await stack.addGateway({ TZ_BUSINESS: 'America/New_York' });
    const { rows } = await db.query<{ time_zone: string }>(
      `SELECT time_zone FROM core.crm_activity_rollup_state`,
    );
    expect(rows[0].time_zone).toBe('America/New_York');
    const newYork = (await loginAsAdmin(http)).http;
    await compare(
      newYork,
      'admin',
      { from: '2025-01-01T00:00:00-05:00', to: '2026-06-30T23:59:59-04:00' },
      'America/New_York',
    );
  });
});
