/**
 * bench/reports: report latency over BENCH_INSTANCES (default 100,000) finished instances.
 *   1. a few instances run through the API (real history), then finished instances with two completed
 *      tasks each and work orders for one in five are filled in SQL, spread over three years
 *   2. each report through the gateway (HTTP → TCP → PostgreSQL): p50/p95 over BENCH_SAMPLES requests
 *   3. the same SQL alone (the workflow app's ReportsRepository on a plain pg pool) and the ratio
 * Run: npm run bench:reports  (DATABASE_URL optional; BENCH_INSTANCES, BENCH_RUNNING, BENCH_SAMPLES tune it)
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { Actor } from '@app/contracts';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import { ReportsRepository, type ReportFilter } from '../../apps/workflow/src/reports/reports.repository';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import { MonitoringRepository } from '../../apps/workflow/src/monitoring/monitoring.repository';
import { adminToken, benchDatabaseServer, fmt } from '../lib/bench-env';

const BIG = Number(process.env.BENCH_INSTANCES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const RUNNING = Number(process.env.BENCH_RUNNING ?? 10_000);
const API_RUNS = 20;
const TZ = 'Asia/Shanghai';
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');

/** Finished instances (five processes, six statuses, three years), two completed tasks each, work orders; running ones. */
async function fill(db: Client, definitionId: string, count: number, running: number): Promise<void> {
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name,
       serial_no, status, initiator_id, state, variables, started_at, ended_at, updated_at)
     SELECT $1, 'benchFlow' || (g % 5), 1, 'Bench flow ' || (g % 5), 'RB_' || g,
       (ARRAY['completed', 'completed', 'completed', 'rejected', 'stopped', 'discarded'])[1 + g % 6],
       (1 + g % 50)::text, '{}', '{}', s, s + (1 + g % 97) * interval '17 minutes', now()
     FROM generate_series(1, $2::int) g,
       LATERAL (SELECT now() - (g % 1095) * interval '1 day' - (g % 1440) * interval '1 minute' AS s) x`,
    [definitionId, count],
  );
  await db.query(
    `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, instance_started_at,
       initiator_id, element_id, execution_id, name, assignee_id, ended_by, status, created_at, claimed_at, ended_at)
     SELECT i.id, i.definition_id, i.definition_key, i.process_name, i.started_at, i.initiator_id, e.el,
       e.el || '_' || i.id, e.name, 'user-' || (i.id % 40), 'user-' || (i.id % 40), 'completed',
       i.started_at + e.off,
       i.started_at + e.off + (i.id % 13) * interval '3 minutes',
       i.started_at + e.off + (i.id % 13) * interval '3 minutes' + (1 + i.id % 7) * interval '5 minutes'
     FROM workflow.process_instance i
     CROSS JOIN (VALUES ('submit', 'Submit', interval '0'), ('lead', 'Lead', interval '1 minute'),
                        ('manager', 'Manager', interval '1 minute')) e(el, name, off)
     WHERE i.serial_no LIKE 'RB\\_%' AND (e.el = 'submit' OR (e.el = 'lead') = (i.id % 2 = 0))`,
  );
  await db.query(
    `INSERT INTO workflow.work_order_category (name) SELECT 'Category ' || g FROM generate_series(1, 5) g`,
  );
  await db.query(
    `INSERT INTO workflow.work_order (number, title, system_id, category_id, definition_key, instance_id,
       created_by, created_at)
     SELECT 'WB_' || i.id, 'bench order', 'bench',
       (SELECT min(id) FROM workflow.work_order_category) + i.id % 5, i.definition_key, i.id, 1, i.started_at
     FROM workflow.process_instance i WHERE i.serial_no LIKE 'RB\\_%' AND i.id % 5 = 0`,
  );
  // Running instances for the monitoring centre: one open task each; one in ten overdue, one in twenty
  // without progress for four days, one in a hundred with a failed job.
  await db.query(
    `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name,
       serial_no, status, initiator_id, state, variables, started_at, updated_at)
     SELECT $1, 'benchFlow' || (g % 5), 1, 'Bench flow ' || (g % 5), 'RR_' || g, 'running', (1 + g % 50)::text,
       '{}', '{}', now() - (g % 30) * interval '1 day', CASE WHEN g % 20 = 0 THEN now() - interval '4 days' ELSE now() END
     FROM generate_series(1, $2::int) g`,
    [definitionId, running],
  );
  await db.query(
    `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, instance_started_at,
       initiator_id, element_id, execution_id, name, assignee_id, status, created_at, due_at)
     SELECT i.id, i.definition_id, i.definition_key, i.process_name, i.started_at, i.initiator_id, 'lead',
       'lead_' || i.id, 'Lead', 'user-' || (i.id % 40), 'open', i.started_at,
       CASE WHEN i.id % 10 = 0 THEN now() - interval '1 hour' ELSE now() + interval '1 day' END
     FROM workflow.process_instance i WHERE i.serial_no LIKE 'RR\\_%'`,
  );
  await db.query(
    `INSERT INTO workflow.job (kind, instance_id, timer_id, element_id, due_at, status, attempts, last_error)
     SELECT 'timer', i.id, 'bench', 'lead', now(), 'failed', 5, 'bench failure'
     FROM workflow.process_instance i WHERE i.serial_no LIKE 'RR\\_%' AND i.id % 100 = 0`,
  );
  await db.query('COMMIT');
  // What autovacuum does after a bulk load: statistics, hint bits and the visibility map (index-only scans).
  await db.query(
    'VACUUM ANALYZE workflow.process_instance, workflow.task, workflow.work_order, workflow.job',
  );
}

async function samples(n: number, work: () => Promise<void>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i += 1) await work(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < n; i += 1) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  return { p50: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_reports',
    emptyDatabase: true,
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '10' },
    // throughput is measured here, not the API-wide rate limits (README "Rate limits")
    gatewayEnv: { WORKFLOW_TIMEOUT_MS: '60000', RATE_LIMIT_ENABLED: 'false' },
    workflowEnv: { WORKFLOW_JOB_POLL_MS: '0' },
  });
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  const pool = new Pool({ connectionString: stack.db.url, max: 4 });
  try {
    const http = stack.http.withToken(await adminToken(stack.http, TEST_ADMIN_PASSWORD));
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    const definitionId = deployed.body.data.id;
    type Started = { data: { tasks: { id: string }[] } };
    for (let i = 0; i < API_RUNS; i += 1) {
      const run = await http.post<Started>('/api/v1/workflow/instances', {
        definitionId,
        variables: { amount: i % 2 ? 5 : 5000 },
      });
      if (run.status !== 200) throw new Error(`start failed: ${run.text}`);
      let tasks = run.body.data.tasks;
      while (tasks.length > 0) {
        const done = await http.post<{ data: { createdTasks: { id: string }[] } }>(
          `/api/v1/workflow/tasks/${tasks[0].id}/complete`,
          {},
        );
        if (done.status !== 200) throw new Error(`complete failed: ${done.text}`);
        tasks = done.body.data.createdTasks;
      }
    }
    const filling = performance.now();
    await fill(db, definitionId, BIG, RUNNING);
    const fillSeconds = (performance.now() - filling) / 1000;

    // The repositories of the workflow app on a plain pg pool (like the app's): same statements, no Nest, no TCP.
    const query = (text: string, params: unknown[] = []) => pool.query(text, params).then((r) => r.rows);
    const sqlOnly = {
      query,
      transaction: async (work: (manager: { query: typeof query }) => Promise<unknown>) => {
        const client = await pool.connect();
        const inTx = (text: string, params: unknown[] = []) => client.query(text, params).then((r) => r.rows);
        try {
          await client.query('BEGIN');
          const result = await work({ query: inTx });
          await client.query('COMMIT');
          return result;
        } finally {
          client.release();
        }
      },
    };
    const reports = new ReportsRepository(sqlOnly as unknown as DataSource);
    const monitoring = new MonitoringRepository(sqlOnly as unknown as DataSource);
    const year = new Date(Date.now() - 365 * 86_400_000);
    const filter = (window: ReportFilter['window'] = {}): ReportFilter => ({
      actor: Actor.system(),
      window,
      timeZone: TZ,
    });
    const lastYear = `from=${year.toISOString().slice(0, 10)}`;
    const cases: [string, string, () => Promise<unknown>][] = [
      ['instances?period=month', '', () => reports.countInstancesByPeriod(filter(), 'month')],
      ['instances?period=quarter', '', () => reports.countInstancesByPeriod(filter(), 'quarter')],
      [
        'instances?period=year&processKey=benchFlow1',
        '',
        () => reports.countInstancesByPeriod({ ...filter(), processKey: 'benchFlow1' }, 'year'),
      ],
      [
        `instances?period=month&${lastYear}`,
        '',
        () => reports.countInstancesByPeriod(filter({ from: year }), 'month'),
      ],
      ['durations?by=process', '', () => reports.durations(filter(), 'process')],
      ['durations?by=node', '', () => reports.durations(filter(), 'node')],
      ['durations?by=assignee', '', () => reports.durations(filter(), 'assignee')],
      [`durations?by=node&${lastYear}`, '', () => reports.durations(filter({ from: year }), 'node')],
      ['work-orders', '', () => reports.countWorkOrders(filter())],
      [
        'monitoring/instances?state=abnormal',
        'monitoring',
        () =>
          monitoring.page({
            actor: Actor.system(),
            state: 'abnormal',
            stuckAfterHours: 72,
            limit: 20,
            offset: 0,
          }),
      ],
      [
        'monitoring/instances?state=normal',
        'monitoring',
        () =>
          monitoring.page({
            actor: Actor.system(),
            state: 'normal',
            stuckAfterHours: 72,
            limit: 20,
            offset: 0,
          }),
      ],
    ];
    const rows: string[][] = [];
    for (const [route, area, direct] of cases) {
      const path = area === 'monitoring' ? `/api/v1/${route}` : `/api/v1/reports/${route}`;
      const viaGateway = await samples(SAMPLES, async () => {
        const res = await http.get(path);
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 500)}`);
      });
      const alone = await samples(SAMPLES, async () => {
        await direct();
      });
      rows.push([
        route,
        `${fmt(viaGateway.p50)} / ${fmt(viaGateway.p95)} ms`,
        `${fmt(alone.p50)} / ${fmt(alone.p95)} ms`,
        fmt(viaGateway.p50 / alone.p50, 2),
        viaGateway.p95 <= 200 ? 'yes' : 'NO',
      ]);
    }
    const [instances, tasks] = await Promise.all([
      db.query(`SELECT count(*)::int AS n FROM workflow.process_instance WHERE ended_at IS NOT NULL`),
      db.query(`SELECT count(*)::int AS n FROM workflow.task WHERE status = 'completed'`),
    ]);
    const header = [
      'report (GET …)',
      'gateway p50 / p95',
      'SQL alone p50 / p95',
      'ratio p50',
      'p95 ≤ 200 ms',
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log(
      `\nbench/reports  (${(instances.rows[0] as { n: number }).n.toLocaleString('en-US')} finished instances, ` +
        `${(tasks.rows[0] as { n: number }).n.toLocaleString('en-US')} completed tasks, ` +
        `${RUNNING.toLocaleString('en-US')} running instances, ${SAMPLES} samples, ` +
        `node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')})`,
    );
    console.log(`  (filled ${BIG.toLocaleString('en-US')} instances in SQL in ${fmt(fillSeconds)} s)`);
    console.log(`  ${line(header)}`);
    for (const row of rows) console.log(`  ${line(row)}`);
  } finally {
    await db.end();
    await pool.end();
    await stack.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
