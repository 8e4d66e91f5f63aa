/**
 * bench/workflow: one run, one definition (bench/fixtures/approval.bpmn).
 *   1. bare bpmn-engine in this process, two baselines:
 *      - plain: the XML parsed on every start, as a first-time user writes it;
 *      - strong: the parsed definition (moddle context) reused, and for a completion the saved state
 *        recovered, the task signalled and the engine run to its next wait (what a careful in-process user gets);
 *   2. Flowdesk through the gateway (HTTP → TCP → PostgreSQL): starts and completions per second, CPU
 *      milliseconds per command of the gateway, the workflow app and the database's backends, and SQL
 *      statements per command (both apps' flowdesk_db_queries_total);
 *   3. the ratios against both baselines; workflow-app RSS at 1,000 and at BENCH_INSTANCES running instances.
 * Run: npm run bench:workflow  (DATABASE_URL optional; BENCH_INSTANCES, BENCH_N, BENCH_WARMUP, BENCH_CONCURRENCY,
 *      BENCH_WORKFLOW_REPLICAS tune it)
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { Engine } from 'bpmn-engine';
import { Client } from 'pg';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import {
  adminToken,
  backendPids,
  benchDatabaseServer,
  cpuMs,
  fmt,
  metricTotal,
  rate,
  rssMiB,
} from '../lib/bench-env';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BIG = Number(process.env.BENCH_INSTANCES ?? 50_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
// More than one workflow replica runs them over NATS, as a scaled-out deployment does (docs/scaling.md).
const REPLICAS = Number(process.env.BENCH_WORKFLOW_REPLICAS ?? 1);
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');

interface BareEngine {
  execute(options?: { variables?: Record<string, unknown> }): Promise<BareExecution>;
  recover(state: unknown): BareEngine;
  resume(): Promise<BareExecution>;
  getState(): Promise<unknown>;
  stop(): Promise<void>;
  getDefinitions(): Promise<{ environment: { options: { source: unknown } } }[]>;
}
interface BareExecution {
  getPostponed(): { id: string; type: string }[];
  signal(message: { id: string }): void;
}
const newEngine = (options: Record<string, unknown>) =>
  new Engine({ name: 'bare', ...options } as ConstructorParameters<
    typeof Engine
  >[0]) as unknown as BareEngine;

interface BareFigure {
  perSecond: number;
  cpuMsPerOp: number;
}

/** Runs `op` for `seconds`, in this process; throughput and this process's CPU per operation. */
async function measureBare(seconds: number, op: (i: number) => Promise<void>): Promise<BareFigure> {
  let count = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) await op(count++);
  const used = process.cpuUsage(cpu);
  return {
    perSecond: count / ((performance.now() - started) / 1000),
    cpuMsPerOp: (used.user + used.system) / 1000 / count,
  };
}

function userTaskWaiting(execution: BareExecution): string {
  const wait = execution.getPostponed().find((a) => a.type === 'bpmn:UserTask');
  if (!wait) throw new Error('no user task waits');
  return wait.id;
}

async function bareBaselines(
  seconds: number,
): Promise<{ plain: BareFigure; strong: BareFigure; complete: BareFigure }> {
  const sourceContext = (await newEngine({ source: xml }).getDefinitions())[0].environment.options.source;
  const startPlain = async () => {
    const engine = newEngine({ source: xml });
    userTaskWaiting(await engine.execute({ variables: { amount: 5 } }));
    await engine.stop();
  };
  const startStrong = async () => {
    const engine = newEngine({ sourceContext });
    userTaskWaiting(await engine.execute({ variables: { amount: 5 } }));
    await engine.stop();
  };
  // saved states of instances waiting at their first task, as a durable in-process user keeps them
  const states: string[] = [];
  for (let i = 0; i < 200; i++) {
    const engine = newEngine({ sourceContext });
    await engine.execute({ variables: { amount: i % 2 === 0 ? 5 : 5000 } });
    states.push(JSON.stringify(await engine.getState()));
    await engine.stop();
  }
  const completeStrong = async (i: number) => {
    const engine = newEngine({ sourceContext }).recover(JSON.parse(states[i % states.length]));
    const execution = await engine.resume();
    execution.signal({ id: userTaskWaiting(execution) });
    userTaskWaiting(execution); // the next approver's task
    JSON.stringify(await engine.getState());
    await engine.stop();
  };
  await measureBare(1, startPlain); // warm-up
  await measureBare(1, startStrong);
  await measureBare(1, completeStrong);
  return {
    plain: await measureBare(seconds, startPlain),
    strong: await measureBare(seconds, startStrong),
    complete: await measureBare(seconds, completeStrong),
  };
}

interface StackFigure {
  perSecond: number;
  gatewayCpuMs: number;
  workflowCpuMs: number;
  databaseCpuMs: number;
  statements: number;
  /** Engine steps on running instances that found their engine kept in memory, and all such steps. */
  keptEngines: { hits: number; lookups: number };
}

/** Runs `count` commands through the stack; per command: CPU of each process and SQL statements sent. */
async function measureStack(
  processes: {
    gatewayPid?: number;
    workflowPids: (number | undefined)[];
    dbUrl: string;
    gatewayMetrics: string;
    workflowMetrics: string[];
  },
  count: number,
  job: (i: number) => Promise<void>,
): Promise<StackFigure> {
  const backends = await backendPids(processes.dbUrl);
  const queries = async () =>
    (await metricTotal(processes.gatewayMetrics, 'flowdesk_db_queries_total')) +
    (
      await Promise.all(processes.workflowMetrics.map((url) => metricTotal(url, 'flowdesk_db_queries_total')))
    ).reduce((a, b) => a + b, 0);
  const sumCpu = (pids: (number | undefined)[]) => pids.reduce((sum: number, pid) => sum + cpuMs(pid), 0);
  const hotEngines = async (label?: string) =>
    (
      await Promise.all(
        processes.workflowMetrics.map((url) =>
          metricTotal(url, 'flowdesk_workflow_hot_engines_total', label),
        ),
      )
    ).reduce((a, b) => a + b, 0);
  const before = {
    gateway: cpuMs(processes.gatewayPid),
    workflow: sumCpu(processes.workflowPids),
    db: sumCpu(backends),
    queries: await queries(),
    hits: await hotEngines('result="hit"'),
    lookups: await hotEngines(),
  };
  const perSecond = await rate(count, CONCURRENCY, job);
  const gone = (await backendPids(processes.dbUrl)).filter((pid) => !backends.includes(pid));
  return {
    perSecond,
    gatewayCpuMs: (cpuMs(processes.gatewayPid) - before.gateway) / count,
    workflowCpuMs: (sumCpu(processes.workflowPids) - before.workflow) / count,
    // backends opened during the run are counted whole (their CPU before it was nil)
    databaseCpuMs: (sumCpu(backends) - before.db + sumCpu(gone)) / count,
    statements: ((await queries()) - before.queries) / count,
    keptEngines: {
      hits: (await hotEngines('result="hit"')) - before.hits,
      lookups: (await hotEngines()) - before.lookups,
    },
  };
}

/** Copies the newest running instance (state, variables, its open task) `count` times. */
async function cloneRunningInstances(url: string, count: number): Promise<number> {
  if (count === 0) return 0;
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query('BEGIN');
    await db.query(
      `CREATE TEMP TABLE src AS SELECT * FROM workflow.process_instance WHERE status = 'running' ORDER BY id DESC LIMIT 1`,
    );
    await db.query(
      `INSERT INTO workflow.process_instance (definition_id, definition_key, definition_version, process_name, category,
         business_key, serial_no, title, status, initiator_id, initiator_department_id, state, variables, version,
         active_elements, started_at, updated_at)
       SELECT definition_id, definition_key, definition_version, process_name, category, 'clone-' || g,
         'CLONE_' || g, title, status, initiator_id, initiator_department_id, state, variables, version, active_elements, now(), now()
       FROM src, generate_series(1, $1) g`,
      [count],
    );
    await db.query(
      `INSERT INTO workflow.task (instance_id, definition_id, definition_key, process_name, category, instance_started_at,
         initiator_id, element_id, execution_id, name, assignee_id, candidates, status, created_at, claimed_at)
       SELECT i.id, t.definition_id, t.definition_key, t.process_name, t.category, i.started_at, t.initiator_id,
         t.element_id, t.execution_id, t.name, t.assignee_id, t.candidates, 'open', now(), t.claimed_at
       FROM workflow.process_instance i JOIN workflow.task t ON t.instance_id = (SELECT id FROM src) AND t.status = 'open'
       WHERE i.business_key LIKE 'clone-%'`,
    );
    await db.query('COMMIT');
    return count;
  } finally {
    await db.end();
  }
}

async function tasksOfClones(url: string, limit: number): Promise<string[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT t.id::text AS id FROM workflow.task t JOIN workflow.process_instance i ON i.id = t.instance_id
       WHERE i.business_key LIKE 'clone-%' AND t.status = 'open' ORDER BY random() LIMIT $1`,
      [limit],
    );
    return rows.map((r: { id: string }) => r.id);
  } finally {
    await db.end();
  }
}

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_workflow',
    emptyDatabase: true,
    ...(REPLICAS > 1 ? { transport: 'nats' as const } : {}),
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '20' },
    // throughput is measured here, not the API-wide rate limits (README "Rate limits")
    gatewayEnv: { WORKFLOW_TIMEOUT_MS: '60000', RATE_LIMIT_ENABLED: 'false' },
    // NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles the workflow app (written when the stack stops)
    workflowEnv: {
      WORKFLOW_JOB_POLL_MS: '0',
      ...(process.env.NODE_ARGS ? { NODE_ARGS: process.env.NODE_ARGS } : {}),
      // the completions here follow all the starts: only a cache as large as BENCH_N keeps their engines
      ...(process.env.WORKFLOW_HOT_ENGINES ? { WORKFLOW_HOT_ENGINES: process.env.WORKFLOW_HOT_ENGINES } : {}),
    },
  });
  try {
    const workflows = [
      stack.workflow,
      ...(await Promise.all(Array.from({ length: REPLICAS - 1 }, () => stack.addWorkflowReplica()))),
    ];
    const http = stack.http.withToken(await adminToken(stack.http, TEST_ADMIN_PASSWORD));
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    const definitionId = deployed.body.data.id;

    const bare = await bareBaselines(Number(process.env.BENCH_BARE_SECONDS ?? 5));
    const processes = {
      gatewayPid: stack.gateway.pid,
      workflowPids: workflows.map((app) => app.pid),
      dbUrl: stack.db.url,
      gatewayMetrics: `${stack.gateway.origin}/metrics`,
      workflowMetrics: workflows.map((app) => `${app.origin}/metrics`),
    };

    const firstTasks: string[] = [];
    const start = (i: number) =>
      http
        .post<{ data: { tasks: { id: string }[] } }>('/api/v1/workflow/instances', {
          definitionId,
          businessKey: `bench-${i}`,
          variables: { amount: i % 2 === 0 ? 5 : 5000 },
        })
        .then((res) => {
          if (res.status !== 200) throw new Error(`start failed: ${res.text}`);
          firstTasks[i] = res.body.data.tasks[0].id;
        });
    // Warm-up: as many starts and completions as the bare baselines run in their one-second warm-ups, so
    // both sides are measured with their code optimized (the apps' bundles are far larger than the bare
    // engine, and V8 was still compiling them after the 50 starts this warm-up once was).
    await rate(WARMUP, CONCURRENCY, (i) => start(100_000 + i));
    await rate(WARMUP, CONCURRENCY, async (i) => {
      const res = await http.post(`/api/v1/workflow/tasks/${firstTasks[100_000 + i]}/complete`, {});
      if (res.status !== 200) throw new Error(`warm-up complete failed: ${res.text}`);
    });
    const starts = await measureStack(processes, N, start);
    const completes = await measureStack(processes, N, async (i) => {
      const res = await http.post(`/api/v1/workflow/tasks/${firstTasks[i]}/complete`, { comment: 'ok' });
      if (res.status !== 200) throw new Error(`complete failed: ${res.text}`);
    });
    const rssSmall = rssMiB(stack.workflow.pid);
    const runningSmall = N + WARMUP;

    // Fill to BIG running instances by cloning a started one in SQL (the API would take most of an hour on
    // this machine), then drive 200 of the clones through the API so the workflow app really works on them.
    const bigStarted = performance.now();
    const made = await cloneRunningInstances(stack.db.url, Math.max(0, BIG - runningSmall));
    const cloneTasks = await tasksOfClones(stack.db.url, 200);
    await rate(cloneTasks.length, CONCURRENCY, async (i) => {
      const res = await http.post(`/api/v1/workflow/tasks/${cloneTasks[i]}/complete`, {});
      if (res.status !== 200) throw new Error(`complete of a clone failed: ${res.text}`);
    });
    const rssBig = rssMiB(stack.workflow.pid);

    const cpu = (f: StackFigure) =>
      `gateway ${fmt(f.gatewayCpuMs, 2)} + workflow ${fmt(f.workflowCpuMs, 2)} + PostgreSQL ${fmt(f.databaseCpuMs, 2)} ms`;
    const cores = availableParallelism();
    // commands per second on every core for `totalMs` of CPU each, against the baseline's on one core
    const byCpu = (engine: BareFigure, totalMs: number) => (cores * engine.cpuMsPerOp) / totalMs;
    const stackCpu = (f: StackFigure) => f.gatewayCpuMs + f.workflowCpuMs + f.databaseCpuMs;
    const rows = [
      [
        'bare bpmn-engine start → first wait, XML parsed per start',
        `${fmt(bare.plain.perSecond)} /s, ${fmt(bare.plain.cpuMsPerOp, 2)} ms CPU`,
      ],
      [
        'bare bpmn-engine start → first wait, parsed definition reused (strong)',
        `${fmt(bare.strong.perSecond)} /s, ${fmt(bare.strong.cpuMsPerOp, 2)} ms CPU`,
      ],
      [
        'bare bpmn-engine complete: recover + signal + next wait + state (strong)',
        `${fmt(bare.complete.perSecond)} /s, ${fmt(bare.complete.cpuMsPerOp, 2)} ms CPU`,
      ],
      [
        `Flowdesk start via gateway (HTTP→${REPLICAS > 1 ? `NATS→${REPLICAS} workflow replicas` : 'TCP'}→PostgreSQL, ${CONCURRENCY} clients)`,
        `${fmt(starts.perSecond)} /s`,
      ],
      ['  CPU per start', cpu(starts)],
      ['  SQL statements per start', fmt(starts.statements, 1)],
      [`Flowdesk complete via gateway (${CONCURRENCY} clients)`, `${fmt(completes.perSecond)} /s`],
      ['  CPU per complete', cpu(completes)],
      ['  SQL statements per complete', fmt(completes.statements, 1)],
      // each completion follows all the starts: only a cache as large as BENCH_N (WORKFLOW_HOT_ENGINES) hits
      [
        '  completions on a kept engine (no recovery)',
        `${completes.keptEngines.hits} of ${completes.keptEngines.lookups} (WORKFLOW_HOT_ENGINES ${process.env.WORKFLOW_HOT_ENGINES ?? 'default'})`,
      ],
      ['ratio start / plain bare', fmt(starts.perSecond / bare.plain.perSecond, 2)],
      ['ratio start / strong bare (aim ≥ 0.7)', fmt(starts.perSecond / bare.strong.perSecond, 2)],
      [
        'ratio complete / strong bare complete (aim ≥ 1.0)',
        fmt(completes.perSecond / bare.complete.perSecond, 2),
      ],
      // By CPU: the strong baseline runs one command at a time, so on a quiet machine it makes 1000 / its CPU
      // per second on one core. The ceiling is every core busy with only the bare engine's step and the
      // PostgreSQL work this run measured (history, outbox, report roll-ups). Load inflates CPU per command
      // too, unevenly (the small in-process baseline more than the stack): compare quiet runs.
      [
        `ceiling on ${cores} cores by CPU: bare engine + PostgreSQL only (ratio to strong)`,
        `start ${fmt(byCpu(bare.strong, bare.strong.cpuMsPerOp + starts.databaseCpuMs), 2)}, complete ${fmt(byCpu(bare.complete, bare.complete.cpuMsPerOp + completes.databaseCpuMs), 2)}`,
      ],
      [
        `Flowdesk on ${cores} cores by CPU: gateway + workflow + PostgreSQL (ratio to strong)`,
        `start ${fmt(byCpu(bare.strong, stackCpu(starts)), 2)}, complete ${fmt(byCpu(bare.complete, stackCpu(completes)), 2)}`,
      ],
      [
        `workflow RSS${REPLICAS > 1 ? ' (first replica)' : ''} with ${runningSmall.toLocaleString('en-US')} running instances`,
        `${fmt(rssSmall)} MiB`,
      ],
      // BENCH_INSTANCES at or below the small figure clones nothing: no second RSS to compare
      ...(made === 0
        ? []
        : [
            [
              `workflow RSS with ${(runningSmall + made).toLocaleString('en-US')} running instances`,
              `${fmt(rssBig)} MiB`,
            ],
            ['ratio RSS big / small', fmt(rssBig / rssSmall, 2)],
            [
              `(cloning ${made.toLocaleString('en-US')}, completing 200 of them)`,
              `${fmt((performance.now() - bigStarted) / 1000)} s`,
            ],
          ]),
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(
      `\nbench/workflow  (n=${N}, node ${process.version}, load ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, ${new Date().toISOString()})`,
    );
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  } finally {
    await stack.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
