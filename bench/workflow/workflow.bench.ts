/**
 * bench/workflow: one run, one definition (bench/fixtures/approval.bpmn).
 *   1. bare bpmn-engine in process: start → first wait per second (XML parsed per start, as a plain user would)
 *   2. Flowdesk through the gateway (HTTP → TCP → PostgreSQL): start per second, complete per second
 *   3. their ratios; workflow-app RSS at 1,000 and at BENCH_INSTANCES (default 50,000) running instances
 * Run: npm run bench:workflow  (DATABASE_URL optional; BENCH_INSTANCES, BENCH_N, BENCH_CONCURRENCY tune it)
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Engine } from 'bpmn-engine';
import { Client } from 'pg';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, fmt, rate, rssMiB } from '../lib/bench-env';

const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const BIG = Number(process.env.BENCH_INSTANCES ?? 50_000);
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');

async function bareEngineStartsPerSecond(seconds: number): Promise<number> {
  let count = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  while (performance.now() < until) {
    const engine = new Engine({ name: 'bare', source: xml });
    const execution = await engine.execute({ variables: { amount: 5 } });
    if (!execution.getPostponed().some((a: { type: string }) => a.type === 'bpmn:UserTask'))
      throw new Error('no wait');
    await engine.stop();
    count += 1;
  }
  return count / ((performance.now() - started) / 1000);
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
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '20' },
    // throughput is measured here, not the API-wide rate limits (README "Rate limits")
    gatewayEnv: { WORKFLOW_TIMEOUT_MS: '60000', RATE_LIMIT_ENABLED: 'false' },
    workflowEnv: { WORKFLOW_JOB_POLL_MS: '0' },
  });
  try {
    const http = stack.http.withToken(await adminToken(stack.http, TEST_ADMIN_PASSWORD));
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    const definitionId = deployed.body.data.id;

    await bareEngineStartsPerSecond(1); // warm-up
    const bare = await bareEngineStartsPerSecond(5);

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
    await rate(50, CONCURRENCY, (i) => start(100_000 + i)); // warm-up
    const starts = await rate(N, CONCURRENCY, start);
    const completes = await rate(N, CONCURRENCY, async (i) => {
      const res = await http.post(`/api/v1/workflow/tasks/${firstTasks[i]}/complete`, { comment: 'ok' });
      if (res.status !== 200) throw new Error(`complete failed: ${res.text}`);
    });
    const rssSmall = rssMiB(stack.workflow.pid);
    const runningSmall = N + 50;

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

    const rows = [
      ['bare bpmn-engine start → first wait (in process)', `${fmt(bare)} /s`],
      [`Flowdesk start via gateway (HTTP→TCP→PostgreSQL, ${CONCURRENCY} clients)`, `${fmt(starts)} /s`],
      [`Flowdesk complete via gateway (${CONCURRENCY} clients)`, `${fmt(completes)} /s`],
      ['ratio start / bare', fmt(starts / bare, 2)],
      ['ratio complete / bare', fmt(completes / bare, 2)],
      [`workflow RSS with ${runningSmall.toLocaleString('en-US')} running instances`, `${fmt(rssSmall)} MiB`],
      [
        `workflow RSS with ${(runningSmall + made).toLocaleString('en-US')} running instances`,
        `${fmt(rssBig)} MiB`,
      ],
      ['ratio RSS big / small', fmt(rssBig / rssSmall, 2)],
      [
        `(cloning ${made.toLocaleString('en-US')}, completing 200 of them)`,
        `${fmt((performance.now() - bigStarted) / 1000)} s`,
      ],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nbench/workflow  (n=${N}, node ${process.version}, ${new Date().toISOString()})`);
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
