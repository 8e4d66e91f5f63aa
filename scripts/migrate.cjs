#!/usr/bin/env node
// `npm run migrate`: applies pending migrations of both schemas to DATABASE_URL (the embedded server when unset).
'use strict';
const path = require('node:path');
const { build } = require('./build.cjs');
const { startEmbeddedPostgres } = require('./lib/embedded-postgres.cjs');

async function main() {
  await build();
  let url = process.env.DATABASE_URL;
  let pg;
  if (!url) {
    pg = await startEmbeddedPostgres({
      dataDir: path.resolve(__dirname, '../.data/pg'),
      port: Number(process.env.EMBEDDED_PG_PORT || 54329),
      database: 'flowdesk',
    });
    url = pg.url;
  }
  require('reflect-metadata');
  const { SCHEMAS, migrateSchema } = require('../dist/libs/database/src');
  try {
    for (const schema of Object.values(SCHEMAS)) {
      const { applied } = await migrateSchema(schema, { url });
      console.log(`${schema.name}: ${applied.length ? applied.join(', ') : 'up to date'}`);
    }
  } finally {
    if (pg) await pg.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
