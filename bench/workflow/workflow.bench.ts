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

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_workflow',
    emptyDatabase: true,
    env: { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '20' },
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

    let made = runningSmall;
    const bigStarted = performance.now();
    await rate(Math.max(0, BIG - made), 32, async (i) => {
      const res = await http.post('/api/v1/workflow/instances', { definitionId, variables: { amount: i } });
      if (res.status !== 200) throw new Error(`start failed: ${res.text}`);
    });
    made = Math.max(made, BIG);
    const rssBig = rssMiB(stack.workflow.pid);

    const rows = [
      ['bare bpmn-engine start → first wait (in process)', `${fmt(bare)} /s`],
      [`Flowdesk start via gateway (HTTP→TCP→PostgreSQL, ${CONCURRENCY} clients)`, `${fmt(starts)} /s`],
      [`Flowdesk complete via gateway (${CONCURRENCY} clients)`, `${fmt(completes)} /s`],
      ['ratio start / bare', fmt(starts / bare, 2)],
      ['ratio complete / bare', fmt(completes / bare, 2)],
      [`workflow RSS with ${runningSmall.toLocaleString('en-US')} running instances`, `${fmt(rssSmall)} MiB`],
      [`workflow RSS with ${made.toLocaleString('en-US')} running instances`, `${fmt(rssBig)} MiB`],
      ['ratio RSS big / small', fmt(rssBig / rssSmall, 2)],
      [
        `(filling to ${made.toLocaleString('en-US')} took)`,
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
