#!/usr/bin/env node
// Writes a migration with the SQL that brings a fresh database (all existing migrations applied) to
// the entities of one schema. Usage: npm run migration:generate -- <core|workflow> <Name>
// Needs DATABASE_URL pointing at a server where it may create and drop a scratch database.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { build } = require('./build.cjs');

async function main() {
  const [schemaName, name] = process.argv.slice(2);
  if (!['core', 'workflow'].includes(schemaName) || !/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
    console.error('usage: npm run migration:generate -- <core|workflow> <PascalCaseName>');
    process.exit(2);
  }
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is required');
  await build();
  const db = require('../dist/libs/database/src');
  const scratch = `flowdesk_gen_${Date.now()}`;
  const admin = new Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratch}`);
  const url = new URL(baseUrl);
  url.pathname = `/${scratch}`;
  try {
    for (const schema of Object.values(db.SCHEMAS)) await db.migrateSchema(schema, { url: url.toString() });
    const ds = db.createDataSource(db.SCHEMAS[schemaName], { url: url.toString(), poolSize: 1 });
    await ds.initialize();
    const { up, down } = await db.pendingSchemaChanges(ds);
    await ds.destroy();
    if (up.length === 0) {
      console.log(`no changes in schema ${schemaName}`);
      return;
    }
    const ts = Date.now();
    const cls = `${name}${ts}`;
    const quote = (q) => '`' + q.replace(/[\\`]/g, '\\$&').replace(/\$\{/g, '\\${') + '`';
    const lines = (qs) => qs.map((q) => `    await queryRunner.query(${quote(q)});`).join('\n');
    const file = path.join(
      __dirname,
      '..',
      'libs/database/src',
      schemaName,
      'migrations',
      `${ts}-${name}.ts`,
    );
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${cls} implements MigrationInterface {\n  name = '${cls}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${lines(up)}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${lines(down.reverse())}\n  }\n}\n`,
    );
    console.log(`wrote ${path.relative(process.cwd(), file)}: add ${cls} to libs/database/src/schemas.ts`);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
