/**
 * bench/reports: report latency over BENCH_INSTANCES (default 100,000) finished instances.
 *   1. a few instances run through the API (real history), then finished instances with two completed
 *      tasks each (ten initiator departments) and work orders for one in five are filled in set-based SQL
 *      (generate_series) over three years; the triggers fill the aggregates (days, months, years) as they go
 *   2. each report through the gateway as the admin (HTTP → TCP → PostgreSQL): p50/p95 over BENCH_SAMPLES
 *   3. the workflow app's ReportsService alone on a plain pg pool (aggregates), also for a department viewer
 *      (two of the ten departments, with own instances and work orders elsewhere) and an `own` viewer
 *   4. the baseline in the same run: the same report by plain SQL over the records (the records path of
 *      ReportsRepository) over BENCH_BASELINE_SAMPLES, and the largest percentile error against it
 * Run: npm run bench:reports  (DATABASE_URL optional; BENCH_INSTANCES, BENCH_RUNNING, BENCH_SAMPLES,
 * BENCH_BASELINE_SAMPLES tune it)
 */
import 'reflect-metadata';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client, Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { Actor, type DurationGroup, type DurationRow, type ReportPeriod } from '@app/contracts';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import { ReportsRepository, type ReportFilter } from '../../apps/workflow/src/reports/reports.repository';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import { ReportsService } from '../../apps/workflow/src/reports/reports.service';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import type { WorkflowEnv } from '../../apps/workflow/src/config/workflow.env';
// eslint-disable-next-line no-restricted-imports -- times the workflow app's own SQL (no alias for apps)
import { MonitoringRepository } from '../../apps/workflow/src/monitoring/monitoring.repository';
import { adminToken, benchDatabaseServer, fmt } from '../lib/bench-env';

const BIG = Number(process.env.BENCH_INSTANCES ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 30);
const BASELINE_SAMPLES = Number(process.env.BENCH_BASELINE_SAMPLES ?? 5);
const RUNNING = Number(process.env.BENCH_RUNNING ?? 10_000);
const API_RUNS = 20;
const TZ = 'Asia/Shanghai';
const AGGREGATES = [
  'report_instance_day',
  'report_duration_node',
  'report_duration_assignee',
  'report_duration_node_department',
  'report_duration_assignee_department',
  'report_duration_node_initiator',
  'report_duration_assignee_initiator',
  'report_work_order',
];
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');

/** Finished instances (five processes, six statuses, three years), two completed tasks each, work orders; running ones. */
async function fill(db: Client, definitionId: string, count: number, running: number): Promise<void> {
  await db.query('BEGIN');
  await db.query(
    `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name,
       serial_no, status, initiator_id, initiator_department_id, state, variables, started_at, ended_at, updated_at)
     SELECT $1, 'benchFlow' || (g % 5), 1, 'Bench flow ' || (g % 5), 'RB_' || g,
       (ARRAY['completed', 'completed', 'completed', 'rejected', 'stopped', 'discarded'])[1 + g % 6],
       (1 + g % 50)::text, (9000 + g % 10)::text, '{}', '{}', s, s + (1 + g % 97) * interval '17 minutes', now()
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
  // work orders for one in five instances, spread over every initiator and department
  await db.query(
    `INSERT INTO workflow.work_order (number, title, system_id, category_id, definition_key, instance_id,
       created_by, created_by_department, created_at)
     SELECT 'WB_' || i.id, 'bench order', 'bench',
       (SELECT min(id) FROM workflow.work_order_category) + i.id % 5, i.definition_key, i.id,
       i.initiator_id, i.initiator_department_id::bigint, i.started_at
     FROM workflow.process_instance i WHERE i.serial_no LIKE 'RB\\_%' AND (i.id / 3) % 5 = 0`,
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
    `VACUUM ANALYZE workflow.process_instance, workflow.task, workflow.work_order, workflow.job, ${AGGREGATES.map((t) => `workflow.${t}`).join(', ')}`,
  );
}

async function samples(
  n: number,
  work: () => Promise<void>,
  warmUp = 3,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warmUp; i += 1) await work();
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
    const service = new ReportsService(reports, {
      TZ_BUSINESS: TZ,
      REPORT_EXACT_MAX_ROWS: 10_000,
    } as WorkflowEnv);
    const monitoring = new MonitoringRepository(sqlOnly as unknown as DataSource);
    const year = new Date(Date.now() - 365 * 86_400_000);
    const lastYearDay = year.toISOString().slice(0, 10);
    const lastYear = `from=${lastYearDay}`;
    const admin = Actor.system();
    // a department viewer: two of the ten departments, and their own instances elsewhere from the records
    const viewer = Object.assign(new Actor(), {
      id: '7',
      kind: 'staff',
      dataScope: 'department',
      departmentIds: ['9001', '9002'],
    });
    // an `own` viewer: their own instances only (the records by initiator)
    const ownViewer = Object.assign(new Actor(), {
      id: '8',
      kind: 'staff',
      dataScope: 'own',
      departmentIds: [],
    });
    const who = (actor: Actor) => (actor === viewer ? ' (department)' : actor === ownViewer ? ' (own)' : '');
    const filter = (actor: Actor, from?: string, processKey?: string): ReportFilter => ({
      actor,
      window: from ? { from: new Date(`${from}T00:00:00+08:00`) } : {},
      processKey,
      timeZone: TZ,
    });
    interface Case {
      route: string;
      gateway: string | null;
      aggregate: () => Promise<unknown>;
      baseline: () => Promise<unknown>;
    }
    const instancesCase = (period: ReportPeriod, actor: Actor, from?: string, processKey?: string): Case => {
      const query = [
        `period=${period}`,
        from ? `from=${from}` : '',
        processKey ? `processKey=${processKey}` : '',
      ]
        .filter(Boolean)
        .join('&');
      return {
        route: `instances?${query}${who(actor)}`,
        gateway: actor === admin ? `/api/v1/reports/instances?${query}` : null,
        aggregate: () => service.instances({ actor, period, from, processKey } as never),
        baseline: () => reports.countInstancesByPeriod(filter(actor, from, processKey), period),
      };
    };
    const durationsCase = (by: DurationGroup, actor: Actor, from?: string): Case => {
      const query = `by=${by}${from ? `&from=${from}` : ''}`;
      return {
        route: `durations?${query}${who(actor)}`,
        gateway: actor === admin ? `/api/v1/reports/durations?${query}` : null,
        aggregate: () => service.durations({ actor, by, from } as never),
        baseline: () => reports.durations(filter(actor, from), by),
      };
    };
    const workOrdersCase = (actor: Actor, from?: string): Case => {
      const query = from ? `?from=${from}` : '';
      return {
        route: `work-orders${query}${who(actor)}`,
        gateway: actor === admin ? `/api/v1/reports/work-orders${query}` : null,
        aggregate: () => service.workOrders({ actor, from } as never),
        baseline: () => reports.countWorkOrders(filter(actor, from)),
      };
    };
    const cases: Case[] = [
      instancesCase('month', admin),
      instancesCase('quarter', admin),
      instancesCase('year', admin, undefined, 'benchFlow1'),
      instancesCase('month', admin, lastYearDay),
      instancesCase('month', viewer),
      instancesCase('month', ownViewer),
      durationsCase('process', admin),
      durationsCase('node', admin),
      durationsCase('assignee', admin),
      durationsCase('node', admin, lastYearDay),
      durationsCase('process', viewer),
      durationsCase('node', viewer, lastYearDay),
      durationsCase('assignee', viewer),
      durationsCase('process', ownViewer),
      workOrdersCase(admin),
      workOrdersCase(admin, lastYearDay),
      workOrdersCase(viewer),
      workOrdersCase(ownViewer),
    ];
    const monitoringCases: [string, () => Promise<unknown>][] = (['abnormal', 'normal'] as const).map(
      (state) => [
        `monitoring/instances?state=${state}`,
        () => monitoring.page({ actor: admin, state, stuckAfterHours: 72, limit: 20, offset: 0 }),
      ],
    );
    void lastYear;

    /**
     * Largest relative error of the aggregate percentiles (of at least 100 ms) against the records'
     * percentile_cont, and whether every one is within the stated bound; counts must match.
     */
    const compare = (aggregate: unknown, records: unknown): string => {
      const a = aggregate as Record<string, unknown>[];
      const r = records as Record<string, unknown>[];
      if (a.length === 0 || !('waitingP50' in a[0])) {
        const counts = (rows: Record<string, unknown>[]) =>
          rows
            .map(
              (x) =>
                `${String('period' in x ? x.period : 'category_id' in x ? x.category_id : x.categoryId)}|${String(x.processKey ?? x.process_key ?? '')}|${String(x.status)}|${String(x.count)}`,
            )
            .sort()
            .join(',');
        return counts(a) === counts(r) ? 'counts equal' : 'COUNTS DIFFER';
      }
      let worst = 0;
      let withinBound = true;
      let countsEqual = a.length === r.length;
      for (const row of a as unknown as DurationRow[]) {
        const exact = r.find((x) => x.key === row.key);
        if (!exact || exact.count !== row.count) countsEqual = false;
        if (!exact) continue;
        for (const [field, column] of [
          ['waitingP50', 'waiting_p50'],
          ['waitingP95', 'waiting_p95'],
          ['workingP50', 'working_p50'],
          ['workingP95', 'working_p95'],
          ['totalP50', 'total_p50'],
          ['totalP95', 'total_p95'],
          ['instanceP50', 'instance_p50'],
          ['instanceP95', 'instance_p95'],
        ] as const) {
          const want = exact[column] === null || exact[column] === undefined ? null : Number(exact[column]);
          const got = row[field];
          if (want === null || got === null) continue;
          // the stated bound: 1 % of the exact value or 1 ms, plus the rounding to whole milliseconds
          if (Math.abs(got - want) > Math.max(0.01 * Math.abs(want), 1) + 0.5) withinBound = false;
          if (Math.abs(want) >= 100) worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
        }
      }
      return `${countsEqual ? 'counts equal' : 'COUNTS DIFFER'}, max error ${(worst * 100).toFixed(2)} %${withinBound ? '' : ' OUT OF BOUND'}`;
    };

    const rows: string[][] = [];
    for (const c of cases) {
      const viaGateway = c.gateway
        ? await samples(SAMPLES, async () => {
            const res = await http.get(c.gateway!);
            if (res.status !== 200) throw new Error(`${c.gateway}: ${res.status} ${res.text.slice(0, 500)}`);
          })
        : null;
      const alone = await samples(SAMPLES, async () => {
        await c.aggregate();
      });
      const baseline = await samples(
        BASELINE_SAMPLES,
        async () => {
          await c.baseline();
        },
        1,
      );
      const check = compare(await c.aggregate(), await c.baseline());
      const p95 = viaGateway?.p95 ?? alone.p95;
      rows.push([
        c.route,
        viaGateway ? `${fmt(viaGateway.p50)} / ${fmt(viaGateway.p95)} ms` : '—',
        `${fmt(alone.p50)} / ${fmt(alone.p95)} ms`,
        `${fmt(baseline.p50)} / ${fmt(baseline.p95)} ms`,
        fmt(baseline.p50 / (viaGateway?.p50 ?? alone.p50), 1),
        check,
        p95 <= 200 ? 'yes' : 'NO',
      ]);
    }
    for (const [route, direct] of monitoringCases) {
      const viaGateway = await samples(SAMPLES, async () => {
        const res = await http.get(`/api/v1/${route}`);
        if (res.status !== 200) throw new Error(`${route}: ${res.status} ${res.text.slice(0, 500)}`);
      });
      const alone = await samples(SAMPLES, async () => {
        await direct();
      });
      rows.push([
        route,
        `${fmt(viaGateway.p50)} / ${fmt(viaGateway.p95)} ms`,
        `${fmt(alone.p50)} / ${fmt(alone.p95)} ms`,
        '—',
        '—',
        '',
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
      'service alone p50 / p95',
      'records baseline p50 / p95',
      'speed-up p50',
      'against the records',
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
    const sizes = (
      await db.query(
        `SELECT ${AGGREGATES.map((t) => `(SELECT count(*)::int FROM workflow.${t}) AS ${t}`).join(', ')}`,
      )
    ).rows[0] as Record<string, number>;
    console.log(
      `  (filled ${BIG.toLocaleString('en-US')} instances in SQL in ${fmt(fillSeconds)} s, triggers included; ` +
        `aggregate rows: ${AGGREGATES.map((t) => `${t} ${sizes[t].toLocaleString('en-US')}`).join(', ')}; ` +
        `baseline over ${BASELINE_SAMPLES} samples)`,
    );
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
