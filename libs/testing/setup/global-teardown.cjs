'use strict';
const { Client } = require('pg');

// Registered on both the medium and e2e projects: the first call does the work.
module.exports = async function globalTeardown() {
  const serverUrl = process.env.FLOWDESK_TEST_SERVER_URL;
  const template = process.env.FLOWDESK_TEST_TEMPLATE;
  delete process.env.FLOWDESK_TEST_SERVER_URL;
  delete process.env.FLOWDESK_TEST_TEMPLATE;
  if (serverUrl && template) {
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  const pg = globalThis.__FLOWDESK_PG__;
  globalThis.__FLOWDESK_PG__ = undefined;
  if (pg) await pg.stop();
};
