/**
 * bench/gateway: the gateway's per-request cost against a bare node:http + pg server (bare-server.ts)
 * running the same SQL, in one run, for the customers page, /api/v1/me, the todo list and the
 * definitions list. For each: requests per second and CPU milliseconds per request of the serving
 * processes (gateway, plus the workflow app for workflow routes; the bare server alone), and the ratios.
 * Run: npm run bench:gateway  (DATABASE_URL optional; BENCH_SECONDS, BENCH_CONNECTIONS, BENCH_CUSTOMERS,
 * BENCH_ROUTES=me,todo to measure some routes only, BENCH_RATE_LIMITS=1 to keep the rate limits counting,
 * NODE_ARGS for the apps' node flags, DEFINITION_LIST_CACHE_SECONDS=0 to measure the definitions list
 * without the gateway's kept pages)
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { freePort, startStack, TEST_ADMIN_PASSWORD } from '@app/testing';
import { adminToken, benchDatabaseServer, fmt } from '../lib/bench-env';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 10_000);
const xml = readFileSync(resolve(__dirname, '../../../bench/fixtures/approval.bpmn'), 'utf8');

interface Route {
  name: string;
  gatewayPath: string;
  barePath: string;
  workflow: boolean;
}

const ROUTES: Route[] = [
  {
    name: 'customers page',
    gatewayPath: '/api/v1/crm/customers?pageNum=1&pageSize=20',
    barePath: '/customers',
    workflow: false,
  },
  { name: '/api/v1/me', gatewayPath: '/api/v1/me', barePath: '/me', workflow: false },
  { name: 'todo list', gatewayPath: '/api/v1/workflow/tasks', barePath: '/todo', workflow: true },
  {
    name: 'definitions list',
    gatewayPath: '/api/v1/workflow/definitions',
    barePath: '/definitions',
    workflow: true,
  },
];

/** user + system CPU of a process in milliseconds (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Measured {
  rps: number;
  cpuPerRequest: number;
  /** CPU ms per request of each measured process, in the order of `pids` */
  cpuPerRequestOf: number[];
  non2xx: number;
}

async function load(
  url: string,
  token: string | undefined,
  pids: number[],
  seconds: number,
): Promise<Measured> {
  const before = pids.map(cpuMs);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const usedOf = pids.map((pid, i) => cpuMs(pid) - before[i]);
  const requests = result.requests.total;
  return {
    rps: result.requests.average,
    cpuPerRequest: usedOf.reduce((a, b) => a + b, 0) / requests,
    cpuPerRequestOf: usedOf.map((used) => used / requests),
    non2xx: result.non2xx,
  };
}

async function seedCustomers(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO core.crm_customer (real_name, phone, creator_id, owner_id, department_id, stage, created_at)
       SELECT 'customer ' || g, '138' || lpad(g::text, 8, '0'), 1, 1, NULL, g % 6, now() - g * interval '1 minute'
       FROM generate_series(1, $1) g`,
      [CUSTOMERS],
    );
    await db.query('ANALYZE core.crm_customer');
  } finally {
    await db.end();
  }
}

/** The signed-in admin's staff id (the bare server answers as that member). */
async function signedInStaff(url: string): Promise<string> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ staff_id: string }>(
      `SELECT staff_id::text FROM core.auth_sessions ORDER BY created_at DESC LIMIT 1`,
    );
    return rows[0].staff_id;
  } finally {
    await db.end();
  }
}

async function startBare(url: string, staffId: string) {
  const port = await freePort();
  const child = fork(resolve(__dirname, 'bare-server.js'), [], {
    env: {
      ...process.env,
      BARE_PORT: String(port),
      DATABASE_URL: url,
      BARE_STAFF_ID: staffId,
    },
  });
  await new Promise<void>((ok, fail) => {
    child.once('message', () => ok());
    child.once('exit', (code) => fail(new Error(`bare server exited ${code}`)));
  });
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid as number, stop: () => child.kill() };
}

async function main(): Promise<void> {
  const server = await benchDatabaseServer();
  const stack = await startStack({
    label: 'bench_gateway',
    emptyDatabase: true,
    // NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles both apps (written when the stack stops)
    env: {
      LOG_LEVEL: 'error',
      DATABASE_POOL_SIZE: '10',
      ...(process.env.NODE_ARGS ? { NODE_ARGS: process.env.NODE_ARGS } : {}),
    },
    // throughput is measured here, not the API-wide rate limits (README "Rate limits"); BENCH_RATE_LIMITS=1
    // keeps them counting, with budgets no run reaches (counted as the defaults are: 50 hits taken at once)
    gatewayEnv: {
      WORKFLOW_TIMEOUT_MS: '60000',
      ...(process.env.BENCH_RATE_LIMITS === '1'
        ? Object.fromEntries(
            ['READ', 'WRITE', 'AUTH'].flatMap((g) => [
              [`RATE_LIMIT_${g}_PER_CALLER`, '10000000'],
              [`RATE_LIMIT_${g}_PER_IP`, '10000000'],
            ]),
          )
        : { RATE_LIMIT_ENABLED: 'false' }),
      // the gateway keeps definitions-list pages (DefinitionListCache); 0 measures every list through the link
      ...(process.env.DEFINITION_LIST_CACHE_SECONDS
        ? { DEFINITION_LIST_CACHE_SECONDS: process.env.DEFINITION_LIST_CACHE_SECONDS }
        : {}),
    },
  });
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const token = await adminToken(stack.http, TEST_ADMIN_PASSWORD);
    const http = stack.http.withToken(token);
    const deployed = await http.post<{ data: { id: string } }>('/api/v1/workflow/deployments', { xml });
    if (deployed.status !== 200) throw new Error(`deploy failed: ${deployed.text}`);
    for (let i = 0; i < 30; i += 1) {
      const res = await http.post('/api/v1/workflow/instances', {
        definitionId: deployed.body.data.id,
        businessKey: `bench-gw-${i}`,
        variables: { amount: 5 },
      });
      if (res.status !== 200) throw new Error(`start failed: ${res.text}`);
    }
    await seedCustomers(stack.db.url);
    bare = await startBare(stack.db.url, await signedInStaff(stack.db.url));

    const rows: string[][] = [];
    const only = process.env.BENCH_ROUTES?.split(',').map((r) => r.trim());
    for (const route of ROUTES.filter((r) => !only || only.includes(r.barePath.slice(1)))) {
      const gatewayPids = [stack.gateway.pid, ...(route.workflow ? [stack.workflow.pid] : [])] as number[];
      // Warm both (JIT, pools, plans), then measure each in turn.
      await load(`${stack.gateway.origin}${route.gatewayPath}`, token, gatewayPids, 2);
      await load(`${bare.origin}${route.barePath}`, undefined, [bare.pid], 2);
      const g = await load(`${stack.gateway.origin}${route.gatewayPath}`, token, gatewayPids, SECONDS);
      const b = await load(`${bare.origin}${route.barePath}`, undefined, [bare.pid], SECONDS);
      if (g.non2xx > 0 || b.non2xx > 0)
        throw new Error(`${route.name}: non-2xx answers ${g.non2xx}/${b.non2xx}`);
      rows.push([
        route.name,
        fmt(b.rps, 0),
        fmt(g.rps, 0),
        fmt(g.rps / b.rps, 2),
        fmt(b.cpuPerRequest, 3),
        fmt(g.cpuPerRequest, 3),
        fmt(g.cpuPerRequestOf[0], 3),
        route.workflow ? fmt(g.cpuPerRequestOf[1], 3) : '-',
        fmt(b.cpuPerRequest / g.cpuPerRequest, 2),
      ]);
    }
    const head = [
      'route',
      'bare req/s',
      'gateway req/s',
      'ratio',
      'bare CPU ms/req',
      'gateway CPU ms/req',
      'of it: gateway',
      'workflow app',
      'ratio',
    ];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]) =>
      r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log(
      `\nbench/gateway  (${CONNECTIONS} connections, ${SECONDS} s each, ${CUSTOMERS} customers, node ${process.version}, ` +
        `load average ${loadavg()
          .map((n) => n.toFixed(2))
          .join(' ')}, ${new Date().toISOString()})`,
    );
    console.log(`  ${line(head)}`);
    for (const r of rows) console.log(`  ${line(r)}`);
    console.log(
      '  (gateway CPU counts the workflow app too for workflow routes; ratio ≥ 1 means as cheap as bare)',
    );
  } finally {
    bare?.stop();
    await stack.stop();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
