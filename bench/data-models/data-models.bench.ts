/**
 * bench/data-models: one run.
 *   1. a model with typed fields (title, status, amount, qty, region, due, tags, buyer), defined through the API
 *      (its indexed fields get their per-field btree indexes then), 10 departments and a department-scoped member
 *   2. generator: BENCH_RECORDS records (1,000,000) in that one model, INSERT … SELECT generate_series in chunks,
 *      spread over the 10 departments; ANALYZE
 *   3. filtered, sorted pages of 20 through the API (HTTP → gateway → PostgreSQL: a shared view, `?view=`) and the
 *      same statements in bare SQL (pg client) in the same run, p50/p95 in ms, as the admin (scope all) and as the
 *      member (scope department); and, as a same-run baseline, the statements lists ran before (the page plus a
 *      separate count bounded at 10,001)
 * Run: npm run bench:data-models  (DATABASE_URL optional; BENCH_SCALE=0.1 for a tenth; BENCH_SAMPLES)
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, fmt } from '../lib/bench-env';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const RECORDS = Math.max(1000, Math.round(Number(process.env.BENCH_RECORDS ?? 1_000_000 * SCALE)));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const CHUNK = 50_000;
const DEPARTMENTS = 10;

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
}

async function timed(n: number, job: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, n); i += 1) await job(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await job(i);
    samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

const MODEL = {
  key: 'bench_order',
  name: '采购单',
  fields: [
    { key: 'title', name: '事项', type: 'text', required: true },
    {
      key: 'status',
      name: '状态',
      type: 'single_select',
      indexed: true,
      options: {
        choices: ['new', 'open', 'held', 'done', 'void'].map((v) => ({ value: v, label: v })),
      },
    },
    { key: 'amount', name: '金额', type: 'decimal', indexed: true, options: { scale: 2 } },
    { key: 'qty', name: '数量', type: 'number' },
    {
      key: 'region',
      name: '区域',
      type: 'single_select',
      options: { choices: ['east', 'west', 'north', 'south'].map((v) => ({ value: v, label: v })) },
    },
    { key: 'due', name: '到期', type: 'date', indexed: true },
    {
      key: 'tags',
      name: '标签',
      type: 'multi_select',
      options: { choices: ['it', 'office', 'travel'].map((v) => ({ value: v, label: v })) },
    },
    { key: 'buyer', name: '采购人', type: 'member' },
  ],
};

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_data_models',
    emptyDatabase: true,
    withWorkflow: false,
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '20' },
    // throughput is measured here, not the API-wide rate limits (README \"Rate limits\")
    gatewayEnv: { RATE_LIMIT_ENABLED: 'false' },
  });
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  try {
    const admin = stack.http.withToken(await adminToken(stack.http, TEST_ADMIN_PASSWORD));
    const data = async <T>(answer: Promise<{ status: number; body: unknown; text: string }>): Promise<T> => {
      const res = await answer;
      if (res.status !== 200) throw new Error(`${res.status} ${res.text.slice(0, 300)}`);
      return (res.body as { data: T }).data;
    };
    const model = await data<{ id: string; fields: { key: string; id: string }[] }>(
      admin.post('/api/v1/data-models', MODEL),
    );
    const id = (key: string) => model.fields.find((f) => f.key === key)!.id;
    const departments: string[] = [];
    for (let i = 0; i < DEPARTMENTS; i += 1)
      departments.push(
        (await data<{ id: string }>(admin.post('/api/v1/departments', { name: `部门${i}` }))).id,
      );
    const role = await data<{ id: string }>(
      admin.post('/api/v1/roles', {
        code: 'bench_member',
        name: 'bench_member',
        permissions: ['datarecord:read'],
        dataScope: 'department',
      }),
    );
    const member = await data<{ id: string }>(
      admin.post('/api/v1/staff', {
        account: 'bench_member',
        realName: 'bench',
        departmentId: departments[0],
        roleIds: [role.id],
      }),
    );
    await data(
      admin.post(`/api/v1/staff/${member.id}/password-reset`, {
        password: 'Bench-member-123456',
        mustChangePassword: false,
      }),
    );
    const login = await data<{ accessToken: string }>(
      stack.http.post('/api/v1/auth/login', { account: 'bench_member', password: 'Bench-member-123456' }),
    );
    const memberHttp = stack.http.withToken(login.accessToken);

    console.log(
      `bench/data-models: ${RECORDS.toLocaleString('en-US')} records in one model, ${DEPARTMENTS} departments`,
    );
    const started = performance.now();
    const deptArray = `ARRAY[${departments.join(',')}]::bigint[]`;
    for (let from = 1; from <= RECORDS; from += CHUNK) {
      const to = Math.min(RECORDS, from + CHUNK - 1);
      await db.query(
        `INSERT INTO core.data_record (model_id, data, creator_id, department_id, created_at, updated_at)
         SELECT $1, jsonb_build_object(
                  '${id('title')}', '采购事项' || g,
                  '${id('status')}', (ARRAY['new','open','held','done','void'])[1 + floor(random() * 5)::int],
                  '${id('amount')}', to_char(round((random() * 10000)::numeric, 2), 'FM999990.00'),
                  '${id('qty')}', 1 + g % 20,
                  '${id('region')}', (ARRAY['east','west','north','south'])[1 + floor(random() * 4)::int],
                  '${id('due')}', to_char(date '2026-01-01' + floor(random() * 365)::int, 'YYYY-MM-DD'),
                  '${id('tags')}', CASE WHEN g % 3 = 0 THEN '["it"]'::jsonb ELSE '["office","travel"]'::jsonb END,
                  '${id('buyer')}', '1'),
                1, (${deptArray})[1 + floor(random() * ${DEPARTMENTS})::int], now() - random() * interval '365 days', now()
           FROM generate_series(${from}, ${to}) g`,
        [model.id],
      );
      process.stdout.write(
        `\r  records ${to.toLocaleString('en-US')}/${RECORDS.toLocaleString('en-US')} ${fmt((performance.now() - started) / 1000)} s`,
      );
    }
    await db.query('VACUUM ANALYZE core.data_record');
    console.log(`\n  loaded and analyzed in ${fmt((performance.now() - started) / 1000)} s`);

    // the shared view: open orders of at least 500, largest first
    const view = await data<{ id: string }>(
      admin.post(`/api/v1/data-models/${MODEL.key}/views`, {
        name: 'open ≥ 500',
        type: 'table',
        shared: true,
        filter: {
          op: 'and',
          conditions: [
            { field: 'status', operator: 'eq', value: 'open' },
            { field: 'amount', operator: 'gte', value: 500 },
          ],
        },
        sorts: [{ field: 'amount', direction: 'desc' }],
      }),
    );
    const dueView = await data<{ id: string }>(
      admin.post(`/api/v1/data-models/${MODEL.key}/views`, {
        name: 'east, due in March, by due date',
        type: 'table',
        shared: true,
        filter: {
          op: 'and',
          conditions: [
            { field: 'region', operator: 'eq', value: 'east' },
            { field: 'due', operator: 'between', value: ['2026-03-01', '2026-03-31'] },
          ],
        },
        sorts: [{ field: 'due', direction: 'asc' }],
      }),
    );
    const f = (key: string) => `r.data->>'${id(key)}'`;
    // the list's statement (RecordsRepository.pageCountedAhead): the matches in page order up to the
    // count bound (this page and the 5 after it), counted by a window, the page cut from them
    const counted = (base: string, order: string, offset: number) =>
      `SELECT s.*, count(*) OVER () AS n FROM (SELECT r.id, r.data, r.creator_id, r.department_id, r.version, r.created_at, r.updated_at, r.deleted_at ${base} ORDER BY ${order} LIMIT ${offset + 6 * 20 + 1}) s OFFSET ${offset} LIMIT 20`;
    const scopeDept = `AND (r.creator_id = $3 OR r.department_id IN ($4))`;
    const bare = (where: string, order: string, scoped: boolean, offset = 0) => {
      const base = `FROM core.data_record r WHERE r.model_id = $1 ${scoped ? scopeDept : ''} AND r.deleted_at IS NULL AND (${where})`;
      const params = (extra: unknown[]) => [
        model.id,
        ...extra,
        ...(scoped ? [member.id, departments[0]] : []),
      ];
      const values = params([JSON.stringify({ [id('status')]: 'open' })]);
      return {
        now: () => db.query(counted(base, order, offset), values),
        before: separate(base, order, offset, values),
      };
    };
    // before: the page and, in parallel, a separate count of at most 10,001 matches (kept as a same-run baseline)
    const separate = (base: string, order: string, offset: number, params: unknown[]) => () =>
      Promise.all([
        db.query(
          `SELECT r.id, r.data, r.creator_id, r.department_id, r.version, r.created_at, r.updated_at, r.deleted_at ${base} ORDER BY ${order} LIMIT 20 OFFSET ${offset}`,
          params,
        ),
        db.query(`SELECT count(*) FROM (SELECT 1 ${base} LIMIT 10001) c`, params),
      ]);
    const openWhere = `r.data @> CAST($2 AS jsonb) AND ((${f('amount')})::numeric) >= 500`;
    const openOrder = `((${f('amount')})::numeric) DESC, r.id DESC`;
    const dueBare = (scoped: boolean) => {
      const base = `FROM core.data_record r WHERE r.model_id = $1 ${scoped ? 'AND (r.creator_id = $4 OR r.department_id IN ($5))' : ''} AND r.deleted_at IS NULL AND (r.data @> CAST($2 AS jsonb) AND (${f('due')}) BETWEEN $3 AND '2026-03-31')`;
      const params = [
        model.id,
        JSON.stringify({ [id('region')]: 'east' }),
        '2026-03-01',
        ...(scoped ? [member.id, departments[0]] : []),
      ];
      const order = `(${f('due')}) ASC, r.id ASC`;
      return {
        now: () => db.query(counted(base, order, 0), params),
        before: separate(base, order, 0, params),
      };
    };
    const api = (http: typeof admin, path: string) => async () => {
      const res = await http.get(path);
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 300)}`);
    };
    const records = `/api/v1/data-models/${MODEL.key}/records?pageSize=20`;
    const cases: [
      string,
      () => Promise<unknown>,
      { now: () => Promise<unknown>; before: () => Promise<unknown> },
    ][] = [
      [
        'member (department): open ≥ 500, amount desc, page 1',
        api(memberHttp, `${records}&view=${view.id}`),
        bare(openWhere, openOrder, true),
      ],
      [
        'member (department): same, page 10',
        api(memberHttp, `${records}&view=${view.id}&pageNum=10`),
        bare(openWhere, openOrder, true, 180),
      ],
      [
        'member (department): east, due in March, by due',
        api(memberHttp, `${records}&view=${dueView.id}`),
        dueBare(true),
      ],
      [
        'admin (all): open ≥ 500, amount desc, page 1',
        api(admin, `${records}&view=${view.id}`),
        bare(openWhere, openOrder, false),
      ],
      [
        'admin (all): east, due in March, by due',
        api(admin, `${records}&view=${dueView.id}`),
        dueBare(false),
      ],
    ];
    const counts = async (sql: string, params: unknown[]) =>
      Number((await db.query<{ n: string }>(sql, params)).rows[0].n);
    const inScope = await counts(`SELECT count(*) AS n FROM core.data_record WHERE department_id = $1`, [
      departments[0],
    ]);
    console.log(
      `  member's scope: ${inScope.toLocaleString('en-US')} records; load average before timing: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')}`,
    );
    if (process.env.BENCH_EXPLAIN) {
      // the plans of the member's first page (what the docs discuss)
      const explained = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) SELECT r.id FROM core.data_record r WHERE r.model_id = $1 AND (r.creator_id = $3 OR r.department_id IN ($4)) AND r.deleted_at IS NULL AND (${openWhere}) ORDER BY ${openOrder} LIMIT 20`,
        [model.id, JSON.stringify({ [id('status')]: 'open' }), member.id, departments[0]],
      );
      console.log(explained.rows.map((r) => r['QUERY PLAN']).join('\n'));
      const plan = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN (ANALYZE, BUFFERS) ${counted(`FROM core.data_record r WHERE r.model_id = $1 AND (r.creator_id = $3 OR r.department_id IN ($4)) AND r.deleted_at IS NULL AND (${openWhere})`, openOrder, 0)}`,
        [model.id, JSON.stringify({ [id('status')]: 'open' }), member.id, departments[0]],
      );
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
    }
    const results: string[][] = [];
    for (const [label, viaApi, baseline] of cases) {
      const a = await timed(SAMPLES, viaApi);
      const b = await timed(SAMPLES, baseline.now);
      const c = await timed(SAMPLES, baseline.before);
      results.push([label, fmt(a.p50), fmt(a.p95), fmt(b.p50), fmt(b.p95), fmt(c.p50), fmt(c.p95)]);
    }
    const head = [
      'case (page of 20 with its bounded total)',
      'API p50',
      'API p95',
      'SQL p50',
      'SQL p95',
      'old SQL p50',
      'old SQL p95',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...results.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log(`\n${line(head)}\n${results.map(line).join('\n')}`);
    console.log(
      `  (ms; ${SAMPLES} sequential samples each; load average after: ${loadavg()
        .map((l) => fmt(l, 2))
        .join(' ')})`,
    );
  } finally {
    await db.end();
    await stack.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
