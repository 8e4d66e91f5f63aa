// Jest global setup: one PostgreSQL for the whole run (embedded unless DATABASE_URL is set), a template
// database with every migration applied, and the apps built. Each test file clones the template.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { build } = require('../../../scripts/build.cjs');
const { startEmbeddedPostgres } = require('../../../scripts/lib/embedded-postgres.cjs');

const root = path.resolve(__dirname, '../../..');

module.exports = async function globalSetup() {
  if (process.env.FLOWDESK_TEST_SERVER_URL) return; // medium and e2e share one setup
  await build();
  // Unique per run: several runs may share one server (DATABASE_URL) at the same time.
  const TEMPLATE = `fd_template_${process.pid}`;
  let serverUrl;
  if (process.env.DATABASE_URL) {
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = '';
    serverUrl = url.toString().replace(/\/$/, '');
  } else {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(root, '.data/test-pg'),
      port: Number(process.env.EMBEDDED_TEST_PG_PORT || 0),
      database: 'postgres',
      fast: true,
      log: (m) => process.stderr.write(`${m}\n`),
    });
    globalThis.__FLOWDESK_PG__ = pg;
    serverUrl = pg.serverUrl;
  }
  const admin = new Client({ connectionString: `${serverUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
  } finally {
    await admin.end();
  }
  require('reflect-metadata');
  const { SCHEMAS, migrateSchema } = require(path.join(root, 'dist/libs/database/src'));
  for (const schema of Object.values(SCHEMAS))
    await migrateSchema(schema, { url: `${serverUrl}/${TEMPLATE}` });

  process.env.FLOWDESK_TEST_SERVER_URL = serverUrl;
  // Stacks parked between files (libs/testing stack-pool) leave a record here until reused; teardown ends them.
  process.env.FLOWDESK_TEST_RUN_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'flowdesk-test-'));
  process.env.FLOWDESK_TEST_TEMPLATE = TEMPLATE;
};
