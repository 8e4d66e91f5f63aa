#!/usr/bin/env node
// `npm start`: the zero-setup path. Builds what changed, starts embedded PostgreSQL unless DATABASE_URL
// is set, then runs the workflow app and the gateway as two processes (as in production) and stops
// everything on Ctrl-C. Ops start each built app alone with `npm run start:gateway|start:workflow`.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { build } = require('./build.cjs');
const { startEmbeddedPostgres } = require('./lib/embedded-postgres.cjs');

const root = path.resolve(__dirname, '..');
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
      ['--enable-source-maps', path.join(root, `dist/apps/${name}/src/main.js`)],
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
  const healthy =
    (await waitHealthy(`http://127.0.0.1:${port}/api/v1/health`, gateway, 60_000)) &&
    workflow.exitCode === null;
  if (!healthy) {
    log('Flowdesk did not become healthy within 60 s (see the log above)');
    return shutdown(1);
  }
  const account = env.ADMIN_ACCOUNT || 'admin';
  console.log(
    [
      '',
      `  Flowdesk is up in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `  Swagger UI:  http://localhost:${port}/docs   (OpenAPI: /docs-json)`,
      `  Health:      http://localhost:${port}/api/v1/health`,
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
