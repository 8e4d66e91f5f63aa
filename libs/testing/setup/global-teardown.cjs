'use strict';
const { Client } = require('pg');

module.exports = async function globalTeardown() {
  const serverUrl = process.env.FLOWDESK_TEST_SERVER_URL;
  const template = process.env.FLOWDESK_TEST_TEMPLATE;
  if (serverUrl && template) {
    const admin = new Client({ connectionString: `${serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
  const pg = globalThis.__FLOWDESK_PG__;
  if (pg) await pg.stop();
};
