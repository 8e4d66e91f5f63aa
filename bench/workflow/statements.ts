/**
 * bench/workflow/statements: the SQL statements each app sends for one start and one complete of
 * bench/fixtures/approval.bpmn (load-independent, unlike the throughput figures): the workflow app's and
 * the gateway's (the request's own, and its handling of the command's events), by round trip (the
 * workflow app sends several statements in one message: statement-pipeline.ts). Both apps run with
 * `log_statement=all` (PGOPTIONS); their backends (told apart by the application_name each app sets) are
 * read back from the server's log.
 * Run: node scripts/build.cjs && DATABASE_URL=… PG_LOG=/var/log/postgresql/postgresql-15-main.log \
 *        node dist/bench/workflow/statements.js
 */
import 'reflect-metadata';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, metricTotal } from '../lib/bench-env';

const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');
const LOG = process.env.PG_LOG ?? '/var/log/postgresql/postgresql-15-main.log';
const WARM = Number(process.env.BENCH_WARM ?? 5);

const logSize = (): number => {
  try {
    return statSync(LOG).size;
  } catch {
    return 0;
  }
};

/**
 * Round trips logged since `from` by the backends `pids`: per message, its statements (first line of each;
 * the workflow app sends several statements in one simple-protocol message, joined by ";\n").
 */
function logged(from: number, pids: Set<number>): string[][] {
  let text: string;
  try {
    const all = readFileSync(LOG);
    text = all.subarray(from).toString('utf8');
  } catch {
    return [];
  }
  const messages: string[] = [];
  let current: string | null = null;
  for (const line of text.split('\n')) {
    const m = /^\S+ \S+ \S+ \[(\d+)\] (?:\S+ )?LOG:\s+(?:statement|execute [^:]*):\s*(.*)$/.exec(line);
    if (m) {
      if (current !== null) messages.push(current);
      current = pids.has(Number(m[1])) ? m[2] : null;
    } else if (current !== null && line.startsWith('\t')) current += `\n${line.slice(1)}`;
    else if (current !== null) {
      messages.push(current);
      current = null;
    }
  }
  if (current !== null) messages.push(current);
  return messages.map((message) =>
    message.split(/;\n(?=\S)/).map((statement) => statement.trim().split('\n')[0].slice(0, 160)),
  );
}

const print = (label: string, messages: string[][]): void => {
  const statements = messages.reduce((n, m) => n + m.length, 0);
  console.log(`${label}: ${messages.length} round trips, ${statements} statements (log)`);
  messages.forEach((message, i) =>
    message.forEach((line, j) => console.log(`  ${j === 0 ? `${i + 1}.` : '  '} ${line}`)),
  );
};

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_statements',
    emptyDatabase: true,
    env: { LOG_LEVEL: 'error' },
    gatewayEnv: {
      RATE_LIMIT_ENABLED: 'false',
      PGOPTIONS: '-c log_statement=all',
    },
    workflowEnv: {
      WORKFLOW_JOB_POLL_MS: '0',
      PGOPTIONS: '-c log_statement=all',
    },
  });
  const db = new Client({ connectionString: stack.db.url });
  await db.connect();
  try {
    const http = stack.http.withToken(await adminToken(stack.http, TEST_ADMIN_PASSWORD));
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    const definitionId = deployed.body.data.id;
    const metrics = `${stack.workflow.origin}/metrics`;
    const start = async (i: number): Promise<string> => {
      const res = await http.post<{ data: { tasks: { id: string }[] } }>('/api/v1/workflow/instances', {
        definitionId,
        businessKey: `statements-${i}`,
        variables: { amount: 5 },
      });
      if (res.status !== 200) throw new Error(`start failed: ${res.text}`);
      return res.body.data.tasks[0].id;
    };
    const complete = async (taskId: string): Promise<void> => {
      const res = await http.post(`/api/v1/workflow/tasks/${taskId}/complete`, { comment: 'ok' });
      if (res.status !== 200) throw new Error(`complete failed: ${res.text}`);
    };
    const warm: string[] = [];
    for (let i = 0; i < WARM; i++) warm.push(await start(i));
    for (const task of warm) await complete(task);
    const pids = async (app: string) =>
      new Set(
        (
          await db.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE $1 || '%'`,
            [app],
          )
        ).rows.map((r) => r.pid),
      );
    const measure = async (label: string, op: () => Promise<unknown>): Promise<unknown> => {
      const before = await metricTotal(metrics, 'flowdesk_db_queries_total');
      const offset = logSize();
      const result = await op();
      await new Promise((r) => setTimeout(r, 300)); // the log is written asynchronously
      const count = (await metricTotal(metrics, 'flowdesk_db_queries_total')) - before;
      console.log(`\n${label}: ${count} round trips by the workflow app (flowdesk_db_queries_total)`);
      print(`${label}, workflow app`, logged(offset, await pids('flowdesk-workflow')));
      print(`${label}, gateway`, logged(offset, await pids('flowdesk-gateway')));
      return result;
    };
    const taskId = (await measure('start', () => start(1000))) as string;
    await measure('complete', () => complete(taskId));
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
