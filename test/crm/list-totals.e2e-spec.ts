import { Client } from 'pg';
import { type HttpClient, loginAsAdmin, type Stack, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { listOf, ok } from './crm-helpers';

/**
 * Issue 17 aim 3: the /api/v1 customer and organization lists count at most 10,000 matches (`total` capped,
 * `more: true` beyond); below the cap `total` is exact and `more` false. The seed 001 surface keeps its exact
 * `page_info.total`.
 */
describe('crm list totals: capped count with a "more" flag', () => {
  const CAP = 10_000;
  const BULK = CAP + 5;
  let stack: Stack;
  let admin: HttpClient;
  let db: Client;

  beforeAll(async () => {
    stack = await startStack({ label: 'crm_list_totals', withWorkflow: false });
    admin = (await loginAsAdmin(stack.http)).http;
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
    await db.query(
      `INSERT INTO core.crm_organization (name, province, city, creator_id, created_at, updated_at)
       SELECT '批量单位' || g, '江苏省', '苏州市', 1, now() - g * interval '1 minute', now() FROM generate_series(1, $1) g`,
      [BULK],
    );
    await db.query(
      `INSERT INTO core.crm_customer (real_name, phone, organization_ids, stage, creator_id, owner_id, created_at, updated_at)
       SELECT CASE WHEN g <= 3 THEN '稀有客户' || g ELSE '批量客户' || g END, '139' || lpad(g::text, 8, '0'),
              ARRAY[1]::bigint[], 1, 1, 1, now() - g * interval '1 minute', now()
         FROM generate_series(1, $1) g`,
      [BULK],
    );
  }, 120_000);
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it('customers: past the cap total = cap and more = true; rows still page; a narrow search is exact', async () => {
    const live = Number(
      (await db.query(`SELECT count(*) FROM core.crm_customer WHERE deleted_at IS NULL`)).rows[0].count,
    );
    expect(live).toBeGreaterThan(CAP);
    const first = await listOf(admin, '/api/v1/crm/customers?pageSize=20');
    expect(first).toMatchObject({ total: CAP, more: true, pageNum: 1, pageSize: 20 });
    expect(first.rows).toHaveLength(20);
    // paging past the cap still answers rows
    const far = await listOf(admin, `/api/v1/crm/customers?pageSize=20&pageNum=${CAP / 20 + 1}`);
    expect(far.rows.length).toBeGreaterThan(0);
    expect(far.more).toBe(true);

    const narrow = await listOf(admin, `/api/v1/crm/customers?name=${encodeURIComponent('稀有客户')}`);
    expect(narrow).toMatchObject({ total: 3, more: false });
    expect(narrow.rows).toHaveLength(3);
  });

  it('customers: exactly at the cap the total is exact and more = false', async () => {
    // soft-delete all but CAP live customers
    await db.query(
      `UPDATE core.crm_customer SET deleted_at = now()
        WHERE id IN (SELECT id FROM core.crm_customer WHERE deleted_at IS NULL ORDER BY id DESC
                      LIMIT (SELECT count(*) - $1 FROM core.crm_customer WHERE deleted_at IS NULL))`,
      [CAP],
    );
    expect(await listOf(admin, '/api/v1/crm/customers?pageSize=20')).toMatchObject({
      total: CAP,
      more: false,
    });
    await db.query(`UPDATE core.crm_customer SET deleted_at = NULL`);
  });

  it('organizations: capped on /api/v1; the seed 001 list keeps the exact page_info.total', async () => {
    const live = Number(
      (await db.query(`SELECT count(*) FROM core.crm_organization WHERE deleted_at IS NULL`)).rows[0].count,
    );
    expect(live).toBeGreaterThan(CAP);
    expect(await listOf(admin, '/api/v1/crm/organizations?pageSize=20')).toMatchObject({
      total: CAP,
      more: true,
    });

    const login = await fetch(`${stack.http.baseUrl}/api/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ phoneNumber: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const legacy = await fetch(`${stack.http.baseUrl}/api/customers/organization?status=1&page=1&count=20`, {
      headers: { cookie },
    });
    const body = (await legacy.json()) as { status: number; page_info: { total: number } };
    expect(body.status).toBe(0);
    expect(body.page_info.total).toBe(live);
  });

  it('a list row is byte for byte the record read (every column set, a deleted one included)', async () => {
    // The list reads rows straight from the pool and the record read through the query builder's
    // hydration: dates, bigint arrays, nulls and key order must come out the same.
    const org = await db.query(
      `INSERT INTO core.crm_organization (name, province, city, registration_date, website, creator_id, department_id, created_at, updated_at)
       VALUES ('逐字单位', '江苏省', '苏州市', '2020-12-12', 'https://example.com', 1, NULL, now() + interval '1 day', now())
       RETURNING id`,
    );
    const orgId = String(org.rows[0].id);
    await db.query(
      `INSERT INTO core.crm_customer (code, real_name, nick_name, phone, sex, level, is_vip, vip_due_time,
         registration_date, stage, comment, organization_ids, creator_id, owner_id, deleted_at, created_at, updated_at)
       VALUES ('ZZ-1', '逐字客户一', NULL, '13900000001', 'female', 2, true, '2026-12-12T03:11:11Z',
         '2019-02-28', 5, '备注', ARRAY[$1, 1]::bigint[], 1, 1, NULL, now() + interval '1 day', now()),
              (NULL, '逐字客户二', '小二', NULL, 'unknown', 0, false, NULL,
         NULL, NULL, NULL, '{}', 1, NULL, now(), now() + interval '2 days', now())`,
      [orgId],
    );
    const customers = await listOf(
      admin,
      `/api/v1/crm/customers?status=all&name=${encodeURIComponent('逐字客户')}`,
    );
    expect(customers).toMatchObject({ total: 2, more: false });
    expect(customers.rows.map((r) => r.realName)).toEqual(['逐字客户二', '逐字客户一']);
    for (const row of customers.rows)
      expect(JSON.stringify(row)).toBe(
        JSON.stringify(await ok(admin.get(`/api/v1/crm/customers/${row.id}`))),
      );

    const organizations = await listOf(
      admin,
      `/api/v1/crm/organizations?name=${encodeURIComponent('逐字单位')}`,
    );
    expect(organizations.rows).toHaveLength(1);
    expect(JSON.stringify(organizations.rows[0])).toBe(
      JSON.stringify(await ok(admin.get(`/api/v1/crm/organizations/${orgId}`))),
    );
  });
});
