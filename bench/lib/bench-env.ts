import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { HttpClient } from '@app/testing';

// Benchmarks print figures; they assert nothing (DESIGN §7). They reuse the test harness: real
// processes, a fresh database on DATABASE_URL's server or on an embedded PostgreSQL under .data/.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a plain .cjs script shared with npm start
const { startEmbeddedPostgres } = require(
  resolve(__dirname, '../../../scripts/lib/embedded-postgres.cjs'),
) as {
  startEmbeddedPostgres(options: {
    dataDir: string;
    port: number;
    database: string;
    fast?: boolean;
  }): Promise<{
    serverUrl: string;
    stop(): Promise<void>;
  }>;
};

export async function benchDatabaseServer(): Promise<{ stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '';
    process.env.FLOWDESK_TEST_SERVER_URL = url.toString().replace(/\/$/, '');
    return { stop: async () => {} };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: resolve(__dirname, '../../../.data/bench-pg'),
    port: 0,
    database: 'postgres',
  });
  process.env.FLOWDESK_TEST_SERVER_URL = pg.serverUrl;
  return pg;
}

export async function adminToken(http: HttpClient, password: string): Promise<string> {
  const res = await http.post<{ data: { accessToken: string } }>('/api/v1/auth/login', {
    account: 'admin',
    password,
  });
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${res.text}`);
  return res.body.data.accessToken;
}

/** Runs `count` jobs with `concurrency` workers; returns operations per second. */
export async function rate(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

export function rssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

export function fmt(n: number, digits = 1): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** User + system CPU of a process in milliseconds (/proc/<pid>/stat, clock ticks of 10 ms); 0 if it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return NaN;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  // after "pid (comm) ": state is field 0, utime 11, stime 12
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** PostgreSQL backend pids serving one database (the pool's connections; the server must be local). */
export async function backendPids(url: string): Promise<number[]> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    return rows.map((r) => r.pid);
  } finally {
    await db.end();
  }
}

/** The sum of one Prometheus counter over its series (those with `label`, e.g. `result="hit"`, if given). */
export async function metricTotal(url: string, name: string, label?: string): Promise<number> {
  const text = await (await fetch(url)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && /^[\w:]+(\{[^}]*\})? /.test(line))
    .filter((line) => line.split(/[{ ]/)[0] === name)
    .filter((line) => !label || /^[^{ ]*\{([^}]*)\}/.exec(line)?.[1].split(',').includes(label))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}
