#!/usr/bin/env node
// `npm start`: the zero-setup path. Builds what changed, starts embedded PostgreSQL unless DATABASE_URL
// is set, then runs the workflow app and the gateway as two processes (as in production) and stops
// everything on Ctrl-C. Ops start each built app alone with `npm run start:gateway|start:workflow`.
'use strict';
// Nest 12's ES modules load through require(esm), unflagged from Node 20.19: say so instead of a stack trace.
{
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    console.error(`[flowdesk] Node ${process.versions.node} is too old: Flowdesk needs Node 20.19 or later.`);
    process.exit(1);
  }
}
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const net = require('node:net');
const { spawn } = require('node:child_process');
const { build } = require('./build.cjs');
const { startEmbeddedPostgres } = require('./lib/embedded-postgres.cjs');
const appNodeFlags = require('./lib/app-node-flags.cjs');

const root = path.resolve(__dirname, '..');
// .env first (ENV_FILE names another file, ENV_FILE=none skips it); the process environment wins.
if (process.env.ENV_FILE !== 'none') {
  require('dotenv').config({ path: path.resolve(process.env.ENV_FILE || '.env'), quiet: true });
}
const dataDir = path.join(root, '.data');
const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT || 54329);
const log = (message) => console.log(`[flowdesk] ${message}`);

function loadSecrets() {
  const file = path.join(dataDir, 'secrets.json');
  const secrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  let created = false;
  if (!secrets.jwtSecret) {
    secrets.jwtSecret = crypto.randomBytes(48).toString('base64url');
    created = true;
  }
  if (!secrets.adminPassword) {
    secrets.adminPassword = crypto.randomBytes(12).toString('base64url');
    created = true;
  }
  if (created) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return { secrets, created, file };
}

/** Resolves when nothing listens on host:port (so a stale Flowdesk's health check cannot pass for ours). */
function checkPortFree(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error) => resolve(error.code === 'EADDRINUSE' ? false : true));
    server.listen(Number(port), host, () => server.close(() => resolve(true)));
  });
}

async function assertPortsFree(env) {
  const ports = [
    ['PORT', env.PORT || 3000, env.HOST || '0.0.0.0', 'gateway HTTP'],
    [
      'WORKFLOW_HTTP_PORT',
      env.WORKFLOW_HTTP_PORT || 3002,
      env.WORKFLOW_HTTP_HOST || '127.0.0.1',
      'workflow health',
    ],
  ];
  if ((env.WORKFLOW_TRANSPORT || 'tcp') === 'tcp')
    ports.push([
      'WORKFLOW_TCP_PORT',
      env.WORKFLOW_TCP_PORT || 3001,
      env.WORKFLOW_TCP_HOST || '127.0.0.1',
      'workflow TCP',
    ]);
  const busy = [];
  for (const [name, port, host, what] of ports) {
    if (!(await checkPortFree(port, host)))
      busy.push(
        `  ${what}: port ${port} on ${host} is in use (set ${name} to another port, or stop what holds it)`,
      );
  }
  if (busy.length > 0) {
    console.error(`[flowdesk] cannot start:\n${busy.join('\n')}`);
    process.exit(1);
  }
}

async function waitHealthy(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(url);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

async function main() {
  const started = Date.now();
  await build();
  const env = { ...process.env };
  const { secrets, created, file } = loadSecrets();
  env.JWT_SECRET ??= secrets.jwtSecret;
  const generatedAdmin = env.ADMIN_PASSWORD === undefined;
  env.ADMIN_PASSWORD ??= secrets.adminPassword;
  env.SUPERVISOR_PID = String(process.pid);
  if (env.LOG_PRETTY === undefined && process.stdout.isTTY) env.LOG_PRETTY = 'true';

  await assertPortsFree(env);

  let pg;
  if (!env.DATABASE_URL) {
    pg = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'pg'),
      port: EMBEDDED_PORT,
      database: 'flowdesk',
      log,
    });
    env.DATABASE_URL = pg.url;
    log(`embedded PostgreSQL on 127.0.0.1:${EMBEDDED_PORT} (data in .data/pg)`);
  }

  const children = [];
  let stopping = false;
  const run = (name) => {
    const child = spawn(
      process.execPath,
      [...appNodeFlags[name], path.join(root, `dist/bundle/${name}.js`)],
      {
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.on('exit', (code, signal) => {
      if (stopping) return;
      log(`${name} exited (${signal ?? code}); stopping`);
      void shutdown(1);
    });
    children.push(child);
    return child;
  };

  async function shutdown(exitCode) {
    if (stopping) return;
    stopping = true;
    log('stopping…');
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            child.once('exit', () => (clearTimeout(timer), resolve()));
            child.kill('SIGTERM');
          }),
      ),
    );
    if (pg) await pg.stop().catch(() => {});
    process.exit(exitCode);
  }
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  const workflow = run('workflow');
  const gateway = run('gateway');
  const port = env.PORT || 3000;
  const workflowPort = env.WORKFLOW_HTTP_PORT || 3002;
  const [gatewayReady, workflowReady] = await Promise.all([
    waitHealthy(`http://127.0.0.1:${port}/api/v1/health/ready`, gateway, 60_000),
    waitHealthy(`http://127.0.0.1:${workflowPort}/api/v1/health/ready`, workflow, 60_000),
  ]);
  // "Up" only when both children are ours and still running: a port taken meanwhile makes one exit.
  if (!gatewayReady || !workflowReady || gateway.exitCode !== null || workflow.exitCode !== null) {
    log(
      `Flowdesk did not become ready within 60 s: ${!gatewayReady || gateway.exitCode !== null ? 'gateway' : 'workflow'} failed (see the log above)`,
    );
    return shutdown(1);
  }
  const account = env.ADMIN_ACCOUNT || 'admin';
  console.log(
    [
      '',
      `  Flowdesk is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  Console:     http://localhost:${port}/console/`,
      `  Swagger UI:  http://localhost:${port}/docs   (OpenAPI: /docs-json)`,
      `  Probes:      http://localhost:${port}/api/v1/health/live  and  /api/v1/health/ready`,
      generatedAdmin
        ? `  Admin:       ${account} / ${secrets.adminPassword}${created ? '   (generated now, kept in ' + path.relative(root, file) + ')' : '   (from ' + path.relative(root, file) + ')'}`
        : `  Admin:       ${account} (password from ADMIN_PASSWORD)`,
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
