#!/usr/bin/env node
// bench/identity: what identity costs per request. Prints figures, asserts nothing (DESIGN §7).
//   1. Argon2id in process: hash and verify (the cost of one sign-in check)
//   2. POST /api/v1/auth/login through the gateway: latency sequentially, and sign-ins per second
//   3. guarded GET req/s through the gateway (autocannon, 50 connections), each with a Bearer token:
//      GET /api/v1/departments with the caller cache on (default) and off (AUTH_CACHE_TTL_SECONDS=0),
//      GET /api/v1/workflow/ping (guard + TCP round trip to the workflow app), and the 401 floor.
// Run: node bench/identity/identity.bench.cjs   (DATABASE_URL optional: embedded PostgreSQL otherwise)
// Tune: BENCH_DURATION (s per load run, 10), BENCH_CONNECTIONS (50), BENCH_LOGINS (40)
'use strict';
const path = require('node:path');
const { execFile } = require('node:child_process');
const http = require('node:http');
const { build } = require('../../scripts/build.cjs');
const { startEmbeddedPostgres } = require('../../scripts/lib/embedded-postgres.cjs');

const root = path.resolve(__dirname, '../..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 40);
const fmt = (n, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function databaseServer() {
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '';
    return { serverUrl: url.toString().replace(/\/$/, ''), stop: async () => {} };
  }
  return startEmbeddedPostgres({ dataDir: path.join(root, '.data/bench-pg'), port: 0, database: 'postgres' });
}

/** autocannon through npx (not a project dependency); null when it cannot be fetched. */
function autocannon(url, headers) {
  const args = ['--yes', 'autocannon@9', '-j', '-c', String(CONNECTIONS), '-d', String(DURATION)];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  args.push(url);
  return new Promise((resolve) => {
    execFile('npx', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (error) return resolve(null);
      try {
        const result = JSON.parse(stdout);
        resolve({
          tool: 'autocannon',
          rps: result.requests.average,
          p50: result.latency.p50,
          p99: result.latency.p99,
          statuses: { '2xx': result['2xx'], non2xx: result.non2xx },
        });
      } catch {
        resolve(null);
      }
    });
  });
}

/** Fallback load generator: CONNECTIONS keep-alive connections, each sending requests back to back. */
async function nodeLoad(url, headers) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const latencies = [];
  const statuses = { '2xx': 0, non2xx: 0 };
  const until = Date.now() + DURATION * 1000;
  const one = () =>
    new Promise((resolve) => {
      const started = process.hrtime.bigint();
      http
        .get(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
            statuses[res.statusCode < 300 ? '2xx' : 'non2xx'] += 1;
            resolve();
          });
        })
        .on('error', resolve);
    });
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < until) await one();
    }),
  );
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    tool: 'node http',
    rps: latencies.length / DURATION,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    statuses,
  };
}

async function load(label, url, headers) {
  const result = (await autocannon(url, headers)) ?? (await nodeLoad(url, headers));
  console.log(
    `  ${label.padEnd(58)} ${fmt(result.rps, 0).padStart(7)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms` +
      `  (${result.statuses['2xx']} 2xx, ${result.statuses.non2xx} other; ${result.tool})`,
  );
  return result;
}

async function main() {
  await build();
  require('reflect-metadata');
  const server = await databaseServer();
  process.env.FLOWDESK_TEST_SERVER_URL = server.serverUrl;
  const testing = require(path.join(root, 'dist/libs/testing/src'));
  const { hashPassword, verifyPassword, AccessTokenService, readCredentials } = require(
    path.join(root, 'dist/libs/auth/src'),
  );
  const os = require('node:os');
  console.log(`bench/identity — ${os.cpus().length} × ${os.cpus()[0]?.model}, node ${process.version}`);
  console.log(
    `  load: ${CONNECTIONS} connections × ${DURATION} s per run; client and server share the machine\n`,
  );

  // 1. Argon2id in process
  const hashes = [];
  const verifies = [];
  for (let i = 0; i < 10; i += 1) {
    let t = performance.now();
    const hash = await hashPassword(`bench-password-${i}`);
    hashes.push(performance.now() - t);
    t = performance.now();
    await verifyPassword(`bench-password-${i}`, hash);
    verifies.push(performance.now() - t);
  }
  hashes.sort((a, b) => a - b);
  verifies.sort((a, b) => a - b);
  console.log('1. Argon2id(md5(password)), m = 19 MiB, t = 2, p = 1, in process');
  console.log(`  hash   p50 ${fmt(pct(hashes, 50))} ms   verify p50 ${fmt(pct(verifies, 50))} ms\n`);

  // 1b. the guard's token work per request, in process
  const tokens = new AccessTokenService({ secret: 'b'.repeat(48), ttlSeconds: 600 });
  const { token } = tokens.sign({ staffId: '42', sessionId: '0b6f3c1e-8a44-4d2b-9a57-3f1f0e6f2a11' });
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 2000; i += 1) tokens.verify(readCredentials(headers).token);
  const checks = 50_000;
  let t0 = performance.now();
  for (let i = 0; i < checks; i += 1) tokens.verify(readCredentials(headers).token);
  const perCheck = ((performance.now() - t0) * 1000) / checks;
  const { JwtService } = require('@nestjs/jwt');
  const naive = new JwtService({ secret: 'b'.repeat(48) });
  t0 = performance.now();
  for (let i = 0; i < 500; i += 1) naive.verify(token, { algorithms: ['HS256'], audience: 'flowdesk-api' });
  const perNaive = ((performance.now() - t0) * 1000) / 500;
  console.log('1b. guard token work (read headers + verify HS256 JWT), in process');
  console.log(
    `  ${fmt(perCheck)} µs per request with the prebuilt KeyObject (string secret: ${fmt(perNaive)} µs)\n`,
  );

  const limits = { LOGIN_RATE_IP_LIMIT: '100000', LOGIN_RATE_ACCOUNT_LIMIT: '10000', LOG_LEVEL: 'warn' };
  const stack = await testing.startStack({
    label: 'bench_identity',
    emptyDatabase: true,
    gatewayEnv: limits,
  });
  try {
    const admin = await testing.loginAsAdmin(stack.http);
    const member = await testing.createStaff(admin.http, { account: 'bench_member' });

    // 2. sign-in
    const latencies = [];
    for (let i = 0; i < LOGINS; i += 1) {
      const t = performance.now();
      await testing.loginAs(stack.http, member.account, member.password);
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    const parallel = 4;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let i = 0; i < LOGINS / parallel; i += 1)
          await testing.loginAs(stack.http, member.account, member.password);
      }),
    );
    const perSecond = LOGINS / ((performance.now() - started) / 1000);
    console.log('2. POST /api/v1/auth/login through the gateway (session row + audit row + JWT)');
    console.log(
      `  sequential: p50 ${fmt(pct(latencies, 50))} ms, p95 ${fmt(pct(latencies, 95))} ms, mean ${fmt(latencies.reduce((a, b) => a + b, 0) / latencies.length)} ms`,
    );
    console.log(`  ${parallel} in parallel: ${fmt(perSecond)} sign-ins/s\n`);

    // 3. guarded GETs
    const base = stack.http.baseUrl;
    const session = await testing.loginAs(stack.http, member.account, member.password);
    const auth = { authorization: `Bearer ${session.accessToken}` };
    console.log('3. guarded GET through the gateway, Bearer token of a member (role staff)');
    await load('GET /api/v1/departments, caller cache on (default)', `${base}/api/v1/departments`, auth);
    await load(
      'GET /api/v1/workflow/ping, caller cache on (+ TCP round trip)',
      `${base}/api/v1/workflow/ping`,
      auth,
    );
    await load('GET /api/v1/departments without a token (401 floor)', `${base}/api/v1/departments`, {});
  } finally {
    await stack.stop();
  }

  const uncached = await testing.startStack({
    label: 'bench_identity_nocache',
    emptyDatabase: true,
    withWorkflow: false,
    gatewayEnv: { ...limits, AUTH_CACHE_TTL_SECONDS: '0' },
  });
  try {
    const admin = await testing.loginAsAdmin(uncached.http);
    const member = await testing.createStaff(admin.http, { account: 'bench_member' });
    const session = await testing.loginAs(uncached.http, member.account, member.password);
    await load(
      'GET /api/v1/departments, caller cache off (1 lookup / request)',
      `${uncached.http.baseUrl}/api/v1/departments`,
      { authorization: `Bearer ${session.accessToken}` },
    );
  } finally {
    await uncached.stop();
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
