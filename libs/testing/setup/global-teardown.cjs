'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');

/** Stacks still parked when the run ends (libs/testing stack-pool): their apps and databases. */
function parkedStacks(runDir) {
  if (!runDir || !fs.existsSync(runDir)) return [];
  return fs.readdirSync(runDir).map((file) => JSON.parse(fs.readFileSync(path.join(runDir, file), 'utf8')));
}

// Registered on both the medium and e2e projects: the first call does the work.
module.exports = async function globalTeardown() {
  const serverUrl = process.env.FLOWDESK_TEST_SERVER_URL;
  const template = process.env.FLOWDESK_TEST_TEMPLATE;
  const runDir = process.env.FLOWDESK_TEST_RUN_DIR;
  delete process.env.FLOWDESK_TEST_SERVER_URL;
  delete process.env.FLOWDESK_TEST_TEMPLATE;
  delete process.env.FLOWDESK_TEST_RUN_DIR;
  const parked = parkedStacks(runDir);
  // The apps also leave on their own once their jest worker is gone (SUPERVISOR_PID); a run in band
  // (one worker) has them as children of this process, which would otherwise wait for them.
  for (const pid of parked.flatMap((stack) => stack.pids)) {
    try {
      // only if the pid is still one of our apps (it may have left and its pid been reused)
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/bundle/'))
        process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  if (serverUrl && template) {
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    for (const name of [...parked.map((stack) => stack.database), template])
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  const pg = globalThis.__FLOWDESK_PG__;
  globalThis.__FLOWDESK_PG__ = undefined;
  if (pg) await pg.stop();
};
