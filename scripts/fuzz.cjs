#!/usr/bin/env node
// `npm run fuzz -- [--runs N] [--seed S]`: the OpenAPI fuzz test (test/contract/fuzz.e2e-spec.ts) for
// longer: N samples per operation, caller and kind (CI runs 1, about 2,700 requests), from seed S.
// Needs PostgreSQL like every e2e test (DATABASE_URL, or the embedded one).
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { build } = require('./build.cjs');

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
};
const runs = arg('runs', '5');
const seed = arg('seed', String(Date.now() % 1_000_000));

build({ console: false }).then(() => {
  console.log(`fuzz: ${runs} runs per operation, caller and kind, seed ${seed} (repeat with --seed ${seed})`);
  const result = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest'), 'test/contract/fuzz.e2e-spec.ts'],
    {
      cwd: path.resolve(__dirname, '..'),
      stdio: 'inherit',
      env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
    },
  );
  process.exit(result.status ?? 1);
});
