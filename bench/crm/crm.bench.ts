/**
 * bench/crm: one run.
 *   1. generator: BENCH_ORGS organizations (100,000), BENCH_CUSTOMERS customers (1,000,000), one potential record per
 *      organization, BENCH_FOLLOW_UPS follow-ups (5,000,000), BENCH_CONTRACTS contracts and BENCH_DEMANDS demand
 *      changes, in chunks of INSERT … SELECT generate_series with a progress bar. A bulk load, as a migration of
 *      legacy data would do it: the secondary indexes are dropped first and built once at the end, and the
 *      statistics roll-up is switched off and rebuilt by the gateway's own boot-time rebuild (a restart); then ANALYZE
 *   2. page-of-20 list and fuzzy search p50/p95 through the API (HTTP → gateway → PostgreSQL, as the admin) and the
 *      same queries in bare SQL (pg client, the statements the repositories send)
 *   3. statistics latency for a one-year range over all organizations (signing, demands, follow-ups)
 *   4. CSV export of the customers at stage 1 (a sixth) and of every customer, each from a freshly started gateway:
 *      time, rows, the gateway's RSS (/proc), V8 heap used and external memory (its /metrics) before, at the peak
 *      and after, the ratio of the two RSS growths, and a bare pg cursor reading the same rows
 *   BENCH_ONLY=export: only organizations and customers are generated and only the exports run
 * Each figure is printed as soon as it is measured. A request (or bare statement) slower than BENCH_TIMEOUT_S (60 s;
 * the export BENCH_EXPORT_TIMEOUT_S, 900 s) ends that case with "> N s (timed out)", its statement is cancelled, and
 * the bench goes on with the next case, so one slow route cannot hide the others.
 * Run: npm run bench:crm  (DATABASE_URL optional; BENCH_SCALE=0.1 for a tenth of the data; BENCH_SAMPLES;
 * BENCH_KEEP_DATABASE=1 keeps the seeded database and prints its URL, for EXPLAIN)
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { type Stack, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, fmt, metricTotal, rssMiB } from '../lib/bench-env';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const count = (name: string, full: number) =>
  Math.max(100, Math.round(Number(process.env[name] ?? full * SCALE)));
const ORGS = count('BENCH_ORGS', 100_000);
const CUSTOMERS = count('BENCH_CUSTOMERS', 1_000_000);
const FOLLOW_UPS = count('BENCH_FOLLOW_UPS', 5_000_000);
const CONTRACTS = count('BENCH_CONTRACTS', 300_000);
const DEMANDS = count('BENCH_DEMANDS', 500_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const TIMEOUT_S = Number(process.env.BENCH_TIMEOUT_S ?? 60);
const EXPORT_TIMEOUT_S = Number(process.env.BENCH_EXPORT_TIMEOUT_S ?? 900);
const KEEP_DATABASE = process.env.BENCH_KEEP_DATABASE === '1';
// BENCH_ONLY=export: organizations and customers only, and only the export cases (a few minutes at 1M)
const EXPORT_ONLY = process.env.BENCH_ONLY === 'export';
const CHUNK = 100_000;
const SYLLABLES = `ARRAY['华','信','科','技','集','团','金','融','银','行','苏','州','杭','北','京','上','海','广','深','东','南','西','中','国','建','设','电','力','通','达']`;
const word = (n: number) =>
  Array.from({ length: n }, () => `(${SYLLABLES})[1 + floor(random() * 30)::int]`).join(' || ');

function bar(label: string, done: number, total: number, startedMs: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  const seconds = (performance.now() - startedMs) / 1000;
  process.stdout.write(
    `\r  ${label.padEnd(12)} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')} ${fmt(seconds)} s`,
  );
  if (done >= total) process.stdout.write('\n');
}

async function fill(
  db: Client,
  label: string,
  total: number,
  sql: (from: number, to: number) => string,
): Promise<void> {
  const started = performance.now();
  for (let from = 1; from <= total; from += CHUNK) {
    const to = Math.min(total, from + CHUNK - 1);
    await db.query(sql(from, to));
    bar(label, to, total, started);
  }
}

const TABLES = ['organization', 'customer', 'potential', 'follow_up', 'contract', 'demand'].map(
  (t) => `crm_${t}`,
);

/** Drops the secondary indexes of the record tables and the roll-up (not those behind constraints); returns their definitions. */
async function dropIndexes(db: Client): Promise<string[]> {
  const { rows } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE n.nspname = 'core' AND t.relname = ANY($1)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [[...TABLES, 'crm_activity_day']],
  );
  for (const r of rows) await db.query(`DROP INDEX ${r.name}`);
  return rows.map((r) => r.def);
}

async function timedStep(label: string, job: () => Promise<unknown>): Promise<void> {
  const started = performance.now();
  process.stdout.write(`  ${label} …`);
  await job();
  process.stdout.write(` ${fmt((performance.now() - started) / 1000)} s\n`);
}

async function generate(db: Client): Promise<number> {
  const started = performance.now();
  const span = `random() * interval '1825 days'`; // five years up to now
  await fill(
    db,
    'orgs',
    ORGS,
    (a, b) => `INSERT INTO core.crm_organization (name, province, city, creator_id, created_at, updated_at)
      SELECT ${word(4)} || '有限公司' || g, '江苏省', '苏州市', 1, now() - ${span}, now() FROM generate_series(${a}, ${b}) g`,
  );
  await fill(
    db,
    'customers',
    CUSTOMERS,
    (
      a,
      b,
    ) => `INSERT INTO core.crm_customer (real_name, phone, organization_ids, stage, creator_id, owner_id, created_at, updated_at)
      SELECT ${word(3)}, '13' || lpad(g::text, 9, '0'), ARRAY[1 + (g % ${ORGS})]::bigint[], 1 + (g % 6), 1, 1, now() - ${span}, now()
        FROM generate_series(${a}, ${b}) g`,
  );
  if (EXPORT_ONLY) return (performance.now() - started) / 1000;
  await fill(
    db,
    'potentials',
    ORGS,
    (a, b) => `INSERT INTO core.crm_potential (organization_id, director_id, record_time, status, creator_id)
      SELECT g, 1, now() - ${span}, g % 4, 1 FROM generate_series(${a}, ${b}) g`,
  );
  await fill(
    db,
    'follow-ups',
    FOLLOW_UPS,
    (
      a,
      b,
    ) => `INSERT INTO core.crm_follow_up (potential_id, organization_id, follower_ids, event, record_time, creator_id)
      SELECT 1 + (g % ${ORGS}), 1 + (g % ${ORGS}), '{1}', 1 + (g % 5), now() - ${span}, 1 FROM generate_series(${a}, ${b}) g`,
  );
  await fill(
    db,
    'contracts',
    CONTRACTS,
    (
      a,
      b,
    ) => `INSERT INTO core.crm_contract (organization_id, name, amount, sign_time, follower_ids, creator_id)
      SELECT 1 + (g % ${ORGS}), '合同' || g, round((random() * 100000)::numeric, 2), now() - ${span}, '{1}', 1
        FROM generate_series(${a}, ${b}) g`,
  );
  await fill(
    db,
    'demands',
    DEMANDS,
    (a, b) => `INSERT INTO core.crm_demand (organization_id, content, record_time, follower_ids, creator_id)
      SELECT 1 + (g % ${ORGS}), '需求' || g, now() - ${span}, '{1}', 1 FROM generate_series(${a}, ${b}) g`,
  );
  return (performance.now() - started) / 1000;
}

/** A request or statement that did not answer within its limit. */
class TimedOut extends Error {
  constructor(readonly seconds: number) {
    super(`> ${seconds} s (timed out)`);
  }
}

type Figure = { p50: number; p95: number } | TimedOut;

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
}

/** p50/p95 of n sequential runs after a warm-up (a tenth, at most 10); the first run over the limit ends the case. */
async function timed(n: number, job: (i: number) => Promise<unknown>): Promise<Figure> {
  try {
    for (let i = 0; i < Math.min(10, Math.ceil(n / 10)); i += 1) await job(i); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const started = performance.now();
      await job(i);
      samples.push(performance.now() - started);
    }
    return percentiles(samples);
  } catch (error) {
    if (error instanceof TimedOut) return error;
    throw error;
  }
}

const show = (f: Figure, key: 'p50' | 'p95') => (f instanceof TimedOut ? f.message : fmt(f[key]));

const LIVE_CUSTOMERS = `FROM core.crm_customer c WHERE c.deleted_at IS NULL`;
const LIVE_ORGS = `FROM core.crm_organization o WHERE o.deleted_at IS NULL`;
const PAGE = `ORDER BY created_at DESC, id DESC LIMIT 20`;

/** Cancels the statements still running in the bench database for others (a request the bench gave up on). */
async function cancelRunning(db: Client): Promise<void> {
  await db.query(
    `SELECT pg_cancel_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active'`,
  );
}

/** Bare statements on the bench's own connection: over the limit is a TimedOut (statement_timeout, 57014). */
async function bareQuery(db: Client, text: string, params: unknown[] = []) {
  try {
    return await db.query(text, params);
  } catch (error) {
    if ((error as { code?: string }).code === '57014') throw new TimedOut(TIMEOUT_S);
    throw error;
  }
}

/** The gateway's resident set (/proc) and, from its /metrics page, V8's used heap and the memory outside it. */
interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

async function gatewayMemory(stack: Stack): Promise<Memory> {
  const metrics = `${stack.gateway.origin}/metrics`;
  const mib = async (name: string) => (await metricTotal(metrics, name)) / 1024 / 1024;
  const [heapUsed, external] = await Promise.all([
    mib('flowdesk_nodejs_heap_size_used_bytes'),
    mib('flowdesk_nodejs_external_memory_bytes'),
  ]);
  return { rss: rssMiB(stack.gateway.pid), heapUsed, external };
}

/**
 * Streams the customers' CSV (`query`: the list's filters) from a freshly started gateway, reading it chunk by
 * chunk as a client would, while sampling the gateway's RSS (every 100 ms) and its heap (every 500 ms); then
 * reads the same rows (the list's order) through a bare pg cursor, 1,000 at a time. Prints each figure as it has
 * it and returns the RSS growth at the peak (MiB above the start).
 */
async function measureExport(
  stack: Stack,
  db: Client,
  label: string,
  query: string,
  bareWhere: string,
): Promise<number> {
  // every case starts from the same state: a gateway that has served nothing but a login
  await stack.gateway.stop();
  await stack.gateway.start(1_800_000);
  const token = await adminToken(stack.http, TEST_ADMIN_PASSWORD);
  await new Promise((r) => setTimeout(r, 1000));
  const before = await gatewayMemory(stack);
  const peak = { ...before };
  const sampler = setInterval(() => (peak.rss = Math.max(peak.rss, rssMiB(stack.gateway.pid))), 100);
  let sampling = true;
  const heapSampler = (async () => {
    while (sampling) {
      const now = await gatewayMemory(stack);
      peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
      peak.external = Math.max(peak.external, now.external);
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const started = performance.now();
  let bytes = 0;
  let lines = 0;
  let timedOut = false;
  try {
    const res = await fetch(`${stack.http.baseUrl}/api/v1/crm/exports/customers${query}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(EXPORT_TIMEOUT_S * 1000),
    });
    if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines += 1;
    }
  } catch (error) {
    if ((error as Error).name !== 'TimeoutError') throw error;
    timedOut = true;
    await cancelRunning(db);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  sampling = false;
  await heapSampler;
  peak.rss = Math.max(peak.rss, rssMiB(stack.gateway.pid));
  await new Promise((r) => setTimeout(r, 2000));
  const after = await gatewayMemory(stack);
  const rows = Math.max(0, lines - 1);
  const mib = bytes / 1024 / 1024;
  console.log(
    `\nCSV export of ${label}: ${rows.toLocaleString('en-US')} rows, ${fmt(mib)} MiB in ${fmt(seconds)} s` +
      (timedOut
        ? ` (> ${EXPORT_TIMEOUT_S} s: timed out, stopped there)`
        : ` (${Math.round(rows / seconds).toLocaleString('en-US')} rows/s)`),
  );
  const figures = (key: keyof Memory) =>
    `before ${fmt(before[key])}, peak ${fmt(peak[key])} (+${fmt(peak[key] - before[key])}), after ${fmt(after[key])}`;
  console.log(`  gateway RSS MiB:         ${figures('rss')}`);
  console.log(`  gateway V8 heap used MiB: ${figures('heapUsed')}`);
  console.log(`  gateway external MiB:    ${figures('external')}`);

  const bareStarted = performance.now();
  try {
    await db.query('BEGIN');
    await bareQuery(
      db,
      `DECLARE bare NO SCROLL CURSOR FOR SELECT * FROM core.crm_customer c WHERE c.deleted_at IS NULL ${bareWhere}
        ORDER BY c.created_at DESC, c.id DESC`,
    );
    while ((await bareQuery(db, 'FETCH 1000 FROM bare')).rows.length > 0);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    if (!(error instanceof TimedOut)) throw error;
    console.log(`  bare pg cursor, same rows: ${error.message} on one FETCH`);
    return peak.rss - before.rss;
  }
  const bareSeconds = (performance.now() - bareStarted) / 1000;
  console.log(
    `  bare pg cursor, same rows: ${fmt(bareSeconds)} s` +
      (timedOut ? '' : ` (API/SQL ${fmt(seconds / bareSeconds, 2)})`),
  );
  return peak.rss - before.rss;
}

/**
 * The export twice in one run, each from a freshly started gateway: a slice (the customers at stage 1, a sixth of
 * them) and every customer. Streamed in constant memory, the RSS growth at the peak would be about the same for
 * both: the last line prints their ratio.
 */
async function measureExports(stack: Stack, db: Client): Promise<void> {
  const small = await measureExport(stack, db, 'the customers at stage 1', '?stage=1', 'AND c.stage = 1');
  const all = await measureExport(stack, db, 'every customer', '', '');
  console.log(
    `\nexport RSS growth at the peak, every customer / stage 1: ${fmt(all)} / ${fmt(small)} MiB = ${fmt(all / small, 2)}`,
  );
}

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_crm',
    emptyDatabase: true,
    withWorkflow: false,
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '20' },
    // throughput is measured here, not the API-wide rate limits (README \"Rate limits\")
    // NODE_ARGS (e.g. --max-old-space-size=128) goes to the gateway: a capped heap shows the export's
    // memory does not grow with its rows (a retained row per export would exhaust it at 1M)
    gatewayEnv: {
      RATE_LIMIT_ENABLED: 'false',
      ...(process.env.NODE_ARGS ? { NODE_ARGS: process.env.NODE_ARGS } : {}),
    },
  });
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  try {
    console.log(
      `bench/crm: ${ORGS.toLocaleString('en-US')} organizations, ${CUSTOMERS.toLocaleString('en-US')} customers` +
        (EXPORT_ONLY
          ? ' (BENCH_ONLY=export: exports only)'
          : `, ${FOLLOW_UPS.toLocaleString('en-US')} follow-ups, ${CONTRACTS.toLocaleString('en-US')} contracts, ` +
            `${DEMANDS.toLocaleString('en-US')} demand changes`),
    );
    const loadStarted = performance.now();
    await db.query(`SET maintenance_work_mem = '256MB'`);
    // the triggers do nothing while the roll-up has no zone; the gateway rebuilds it at boot
    await db.query(`UPDATE core.crm_activity_rollup_state SET time_zone = NULL`);
    const indexes = await dropIndexes(db);
    const insertSeconds = await generate(db);
    await timedStep('roll-up rebuild (gateway restart)', async () => {
      await stack.gateway.stop();
      await stack.gateway.start(1_800_000);
    });
    await timedStep(`${indexes.length} indexes`, async () => {
      for (const def of indexes) await db.query(def);
    });
    await timedStep('vacuum analyze', () =>
      db.query(`VACUUM ANALYZE ${[...TABLES, 'crm_activity_day'].map((t) => `core.${t}`).join(', ')}`),
    );
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    console.log(`load: ${fmt(loadSeconds)} s (inserts ${fmt(insertSeconds)} s)`);
    await db.query(`SET statement_timeout = ${TIMEOUT_S * 1000}`);
    if (!EXPORT_ONLY) await measureQueries(stack, db);
    await measureExports(stack, db);
  } finally {
    await db.end();
    if (KEEP_DATABASE) {
      await stack.gateway.stop();
      console.log(`kept the database: ${stack.db.url}`);
    } else {
      await stack.stop();
      await server.stop();
    }
  }
}

/** Lists, fuzzy searches and statistics: p50/p95 through the API and in bare SQL. */
async function measureQueries(stack: Stack, db: Client): Promise<void> {
  const token = await adminToken(stack.http, TEST_ADMIN_PASSWORD);
  const http = stack.http;
  const api = (path: string) => async () => {
    let res: Response;
    try {
      res = await fetch(`${http.baseUrl}${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_S * 1000),
      });
      await res.arrayBuffer();
    } catch (error) {
      if ((error as Error).name !== 'TimeoutError') throw error;
      await cancelRunning(db); // else the abandoned statement keeps loading the next case
      throw new TimedOut(TIMEOUT_S);
    }
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  };
  const sql =
    (text: string, params: (i: number) => unknown[] = () => []) =>
    (i: number) =>
      Promise.all([
        bareQuery(db, `SELECT * ${text} ${PAGE}`, params(i)),
        bareQuery(db, `SELECT count(*) ${text}`, params(i)),
      ]);
  // what a user types: three characters of an existing name, five digits of a phone number
  const pick = async (sql: string) => (await db.query<{ f: string }>(sql)).rows.map((r) => r.f);
  const customerNames = await pick(
    `SELECT substr(real_name, 1, 3) AS f FROM core.crm_customer TABLESAMPLE SYSTEM (1) LIMIT 50`,
  );
  const orgNames = await pick(
    `SELECT substr(name, 2, 3) AS f FROM core.crm_organization TABLESAMPLE SYSTEM (10) LIMIT 50`,
  );
  const nameOf = (list: string[], i: number) => list[i % list.length];
  const like = (i: number) => [`%${nameOf(customerNames, i)}%`];
  const orgLike = (i: number) => [`%${nameOf(orgNames, i)}%`];
  const phone = (i: number) => [`%${String(10000 + ((i * 7919) % 90000))}%`];
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString();
  const now = new Date().toISOString();
  const window = `startTime=${encodeURIComponent(yearAgo)}&endTime=${encodeURIComponent(now)}`;
  const statsSql = (table: string, time: string, total: string) =>
    `SELECT t.organization_id, o.name, ${total}, count(*), min(t.${time}) FROM core.${table} t
         JOIN core.crm_organization o ON o.id = t.organization_id AND o.deleted_at IS NULL
        WHERE t.deleted_at IS NULL AND t.${time} BETWEEN $1 AND $2 GROUP BY t.organization_id, o.name ORDER BY t.organization_id`;
  const statsBare = (table: string, time: string, total: string) => () =>
    Promise.all([
      bareQuery(db, `${statsSql(table, time, total)} LIMIT 20`, [yearAgo, now]),
      bareQuery(db, `SELECT count(*) FROM (${statsSql(table, time, total)}) g`, [yearAgo, now]),
    ]);

  const cases: [string, () => Promise<unknown>, (i: number) => Promise<unknown>, number][] = [
    [
      'customers: page of 20, newest first',
      api('/api/v1/crm/customers?pageSize=20'),
      sql(LIVE_CUSTOMERS),
      SAMPLES,
    ],
    [
      'customers: page 50 of 20',
      api('/api/v1/crm/customers?pageSize=20&pageNum=50'),
      (i) =>
        Promise.all([
          bareQuery(db, `SELECT * ${LIVE_CUSTOMERS} ${PAGE} OFFSET 980`),
          bareQuery(db, `SELECT count(*) ${LIVE_CUSTOMERS}`),
        ]).then(() => i),
      SAMPLES,
    ],
    ['organizations: page of 20', api('/api/v1/crm/organizations?pageSize=20'), sql(LIVE_ORGS), SAMPLES],
  ];
  const fuzzy: [string, (i: number) => string, (i: number) => Promise<unknown>][] = [
    [
      'customers: fuzzy name',
      (i) => `/api/v1/crm/customers?pageSize=20&name=${encodeURIComponent(nameOf(customerNames, i))}`,
      sql(`${LIVE_CUSTOMERS} AND c.real_name ILIKE $1`, like),
    ],
    [
      'customers: fuzzy phone',
      (i) => `/api/v1/crm/customers?pageSize=20&phone=${phone(i)[0].slice(1, -1)}`,
      sql(`${LIVE_CUSTOMERS} AND c.phone ILIKE $1`, phone),
    ],
    [
      'organizations: fuzzy name',
      (i) => `/api/v1/crm/organizations?pageSize=20&name=${encodeURIComponent(nameOf(orgNames, i))}`,
      sql(`${LIVE_ORGS} AND o.name ILIKE $1`, orgLike),
    ],
  ];
  const stats: [string, string, () => Promise<unknown>][] = [
    [
      'stats: signing, one year, all orgs',
      `/api/v1/stats/signing?${window}`,
      statsBare('crm_contract', 'sign_time', 'sum(t.amount)'),
    ],
    [
      'stats: demands, one year, all orgs',
      `/api/v1/stats/demands?${window}`,
      statsBare('crm_demand', 'record_time', 'NULL'),
    ],
    [
      'stats: follow-ups, one year, all orgs',
      `/api/v1/stats/follow-ups?${window}`,
      statsBare('crm_follow_up', 'record_time', 'NULL'),
    ],
    [
      'stats: follow-ups by month',
      `/api/v1/stats/follow-ups?${window}&bucket=month`,
      statsBare('crm_follow_up', 'record_time', 'NULL'),
    ],
  ];

  const statSamples = Math.max(10, Math.round(SAMPLES / 10));
  console.log(
    `samples: ${SAMPLES} (lists, search), ${statSamples} (statistics), sequential; limit ${TIMEOUT_S} s a request`,
  );
  const widths = [38, 22, 22, 22, 22, 11];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(['query', 'API p50 ms', 'API p95 ms', 'SQL p50 ms', 'SQL p95 ms', 'API/SQL p95']));
  const row = (label: string, a: Figure, b: Figure) =>
    console.log(
      line([
        label,
        show(a, 'p50'),
        show(a, 'p95'),
        show(b, 'p50'),
        show(b, 'p95'),
        a instanceof TimedOut || b instanceof TimedOut ? '-' : fmt(a.p95 / b.p95, 2),
      ]),
    );
  for (const [label, viaApi, bare, n] of cases) row(label, await timed(n, viaApi), await timed(n, bare));
  for (const [label, path, bare] of fuzzy)
    row(label, await timed(SAMPLES, (i) => api(path(i))()), await timed(SAMPLES, bare));
  for (const [label, path, bare] of stats)
    row(label, await timed(statSamples, api(path)), await timed(statSamples, bare));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
