/**
 * bench/capacity: what one command costs, for the capacity model in docs/scaling.md. For each command
 * (start an instance, complete a task, the to-do list, a CRM customer page, /api/v1/me) it runs N calls
 * through the gateway and divides what they cost by N:
 *   - CPU ms of the gateway and of the workflow app (/proc/<pid>/stat, user + system),
 *   - CPU ms of the PostgreSQL backends serving them (/proc of the pids pg_stat_activity lists for the
 *     bench's database; only when PostgreSQL runs on this machine),
 *   - SQL statements each app sent (flowdesk_db_queries_total from each app's /metrics: round trips),
 *   - PostgreSQL time (pg_stat_database.active_time of the bench's database: time spent running
 *     statements) and commits (xact_commit).
 * Background work (event consumer, job poller) is measured while idle and subtracted per second.
 * The API-wide rate limits stay on (limits set out of reach), so their per-request upsert is counted;
 * /api/v1/me is also measured on a second gateway with them off, which prices the limiter alone.
 * Run: npm run bench:capacity  (DATABASE_URL optional; BENCH_N, BENCH_CONCURRENCY, BENCH_CUSTOMERS)
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { type HttpClient, metricSum, scrape, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, cpuMs, fmt, rate } from '../lib/bench-env';

const N = Number(process.env.BENCH_N ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const IDLE_SECONDS = 5;
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');
const UNREACHABLE = '10000000';

interface Sample {
  at: number;
  gatewayCpu: number;
  workflowCpu: number;
  pgCpu: number;
  gatewayQueries: number;
  workflowQueries: number;
  pgActiveMs: number;
  pgCommits: number;
}

interface Cost {
  name: string;
  perSecond: number;
  gatewayCpu: number;
  workflowCpu: number;
  pgCpu: number;
  gatewayQueries: number;
  workflowQueries: number;
  pgActiveMs: number;
  pgCommits: number;
}

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const limits = Object.fromEntries(
    ['AUTH', 'READ', 'WRITE', 'EXPORT', 'LEGACY'].flatMap((g) => [
      [`RATE_LIMIT_${g}_PER_CALLER`, UNREACHABLE],
      [`RATE_LIMIT_${g}_PER_IP`, UNREACHABLE],
    ]),
  );
  const stack = await startStack({
    label: 'bench_capacity',
    emptyDatabase: true,
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '10' },
    gatewayEnv: { WORKFLOW_TIMEOUT_MS: '60000', ...limits },
  });
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  try {
    const dbName = new URL(stack.db.url).pathname.slice(1);
    const token = await adminToken(stack.http, TEST_ADMIN_PASSWORD);
    const http = stack.http.withToken(token);
    const unlimited = await stack.addGateway({ RATE_LIMIT_ENABLED: 'false', WORKFLOW_EVENTS_POLL_MS: '0' });
    const plain = unlimited.http.withToken(token);
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    const definitionId = deployed.body.data.id;
    await db.query(
      `INSERT INTO core.crm_customer (real_name, phone, creator_id, owner_id, department_id, stage, created_at)
       SELECT 'customer ' || g, '139' || lpad(g::text, 8, '0'), 1, 1, NULL, g % 6, now() - g * interval '1 minute'
       FROM generate_series(1, $1) g`,
      [CUSTOMERS],
    );
    await db.query('ANALYZE core.crm_customer');

    /**
     * PostgreSQL backends of this database, watched every 200 ms while a phase runs: their CPU (from
     * /proc, so only when PostgreSQL runs on this machine; pools open and close backends, so each pid is
     * counted from when it was first seen) and what the active ones wait on.
     */
    const watchBackends = () => {
      const first = new Map<number, number>();
      const last = new Map<number, number>();
      const waits = new Map<string, number>();
      let local = true;
      let polls = 0;
      const poll = async () => {
        const initial = polls++ === 0;
        const { rows } = await db.query<{ pid: number; state: string | null; wait: string | null }>(
          `SELECT pid, state, wait_event_type || ':' || wait_event AS wait FROM pg_stat_activity
            WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [dbName],
        );
        for (const row of rows) {
          const cpu = cpuMs(row.pid);
          if (Number.isNaN(cpu)) local = false;
          // there when watching began: count from now; opened since: its whole life is this phase's
          if (!first.has(row.pid)) first.set(row.pid, initial ? cpu : 0);
          last.set(row.pid, cpu);
          if (row.state === 'active') {
            const key = row.wait ?? 'running (CPU)';
            waits.set(key, (waits.get(key) ?? 0) + 1);
          }
        }
      };
      let polling = poll();
      const timer = setInterval(() => {
        polling = polling.then(poll, poll);
      }, 200);
      return async () => {
        clearInterval(timer);
        await polling;
        await poll();
        const cpu = [...last].reduce((sum, [pid, value]) => sum + value - (first.get(pid) ?? 0), 0);
        return { cpu: local ? cpu : NaN, waits };
      };
    };
    const sample = async (): Promise<Sample> => {
      const [g, g2, w, stat] = await Promise.all([
        scrape(`${stack.http.baseUrl}/metrics`),
        scrape(`${unlimited.http.baseUrl}/metrics`),
        scrape(`${stack.workflow.origin}/metrics`),
        db.query<{ active: number; commits: number }>(
          `SELECT active_time::float8 AS active, xact_commit::float8 AS commits FROM pg_stat_database WHERE datname = $1`,
          [dbName],
        ),
      ]);
      return {
        at: performance.now(),
        gatewayCpu: cpuMs(stack.gateway.pid) + cpuMs(unlimited.gateway.pid),
        workflowCpu: cpuMs(stack.workflow.pid),
        pgCpu: 0,
        gatewayQueries:
          metricSum(g, 'flowdesk_db_queries_total') + metricSum(g2, 'flowdesk_db_queries_total'),
        workflowQueries: metricSum(w, 'flowdesk_db_queries_total', {}),
        pgActiveMs: stat.rows[0].active,
        pgCommits: stat.rows[0].commits,
      };
    };
    // A backend that went idle less than a second after its last report flushes its pg_stat_database
    // figures only after PostgreSQL's idle interval (10 s, PG 15): let them settle before each reading.
    const settled = async () => {
      await new Promise((r) => setTimeout(r, 11_000));
      return sample();
    };

    const idleStart = await settled();
    const idleWatch = watchBackends();
    await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
    const idleBackends = await idleWatch();
    const idleEnd = await settled();
    idleEnd.pgCpu = (idleBackends.cpu * (idleEnd.at - idleStart.at)) / (IDLE_SECONDS * 1000);
    const pgLocal = !Number.isNaN(idleBackends.cpu);
    const idleSeconds = (idleEnd.at - idleStart.at) / 1000;
    const idlePerSecond = (key: keyof Sample) => (idleEnd[key] - idleStart[key]) / idleSeconds;

    const waitsOf = new Map<string, string>();
    const measure = async (name: string, job: (i: number) => Promise<void>): Promise<Cost> => {
      await rate(Math.min(50, N), CONCURRENCY, job); // warm-up
      const before = await settled();
      const watch = watchBackends();
      const perSecond = await rate(N, CONCURRENCY, job);
      const backends = await watch();
      const after = await settled();
      after.pgCpu = backends.cpu;
      const sampled = [...backends.waits.values()].reduce((a, b) => a + b, 0);
      waitsOf.set(
        name,
        [...backends.waits]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([wait, n]) => `${wait} ${Math.round((100 * n) / sampled)}%`)
          .join(', '),
      );
      const seconds = (after.at - before.at) / 1000;
      const per = (key: keyof Sample) =>
        Math.max(0, after[key] - before[key] - idlePerSecond(key) * seconds) / N;
      const busySeconds = N / perSecond;
      const pgCpu = Math.max(0, backends.cpu - idlePerSecond('pgCpu') * busySeconds) / N;
      return {
        name,
        perSecond,
        gatewayCpu: per('gatewayCpu'),
        workflowCpu: per('workflowCpu'),
        pgCpu,
        gatewayQueries: per('gatewayQueries'),
        workflowQueries: per('workflowQueries'),
        pgActiveMs: per('pgActiveMs'),
        pgCommits: per('pgCommits'),
      };
    };
    const ok = async <T extends { status: number; text: string }>(label: string, answer: Promise<T>) => {
      const res = await answer;
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${res.text.slice(0, 300)}`);
      return res;
    };

    const tasks: string[] = [];
    let seq = 0;
    const start = async () => {
      const i = seq++;
      const res = await ok(
        'start',
        http.post<{ data: { tasks: { id: string }[] } }>('/api/v1/workflow/instances', {
          definitionId,
          businessKey: `cap-${i}`,
          variables: { amount: 5 },
        }),
      );
      tasks.push(res.body.data.tasks[0].id);
    };
    const costs: Cost[] = [];
    costs.push(await measure('start instance (POST /workflow/instances)', start));
    let next = 0;
    costs.push(
      await measure('complete task (POST /workflow/tasks/{id}/complete)', async () => {
        const id = tasks[next++];
        await ok('complete', http.post(`/api/v1/workflow/tasks/${id}/complete`, { comment: 'ok' }));
      }),
    );
    const get = (client: HttpClient, path: string) => async () => {
      await ok(path, client.get(path));
    };
    costs.push(
      await measure(
        'to-do list, 20 rows (GET /workflow/tasks)',
        get(http, '/api/v1/workflow/tasks?pageSize=20'),
      ),
    );
    costs.push(
      await measure(
        'customer page, 20 rows (GET /crm/customers)',
        get(http, '/api/v1/crm/customers?pageNum=1&pageSize=20'),
      ),
    );
    costs.push(await measure('/api/v1/me, rate limits on', get(http, '/api/v1/me')));
    costs.push(await measure('/api/v1/me, rate limits off', get(plain, '/api/v1/me')));

    const header = [
      'command',
      'calls/s',
      'gateway CPU ms',
      'workflow CPU ms',
      'PG CPU ms',
      'SQL gateway',
      'SQL workflow',
      'PG active ms (wall)',
      'commits',
    ];
    const rows = costs.map((c) => [
      c.name,
      fmt(c.perSecond, 0),
      fmt(c.gatewayCpu, 2),
      fmt(c.workflowCpu, 2),
      pgLocal ? fmt(c.pgCpu, 2) : 'n/a',
      fmt(c.gatewayQueries, 1),
      fmt(c.workflowQueries, 1),
      fmt(c.pgActiveMs, 2),
      fmt(c.pgCommits, 1),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) =>
      `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
    console.log(
      `\nbench/capacity  (n=${N} per command, ${CONCURRENCY} clients, ${CUSTOMERS} customers, node ${process.version}, ` +
        `${new Date().toISOString()}; per call, idle background subtracted)`,
    );
    console.log(line(header));
    console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
    for (const row of rows) console.log(line(row));
    console.log('what active PostgreSQL backends were doing (sampled every 200 ms):');
    for (const [name, waits] of waitsOf) console.log(`  ${name}: ${waits || 'never seen active'}`);
    console.log(
      `idle background per second: gateway ${fmt(idlePerSecond('gatewayCpu'), 1)} CPU ms, workflow ${fmt(idlePerSecond('workflowCpu'), 1)} CPU ms, ` +
        `SQL ${fmt(idlePerSecond('gatewayQueries'), 1)} + ${fmt(idlePerSecond('workflowQueries'), 1)}, PG active ${fmt(idlePerSecond('pgActiveMs'), 1)} ms`,
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
