#!/usr/bin/env node
// `npm test`: the build, then the console's unit tests (vitest) alongside jest instead of before it.
// Vitest needs no database and little CPU (~3 s), and jest spends its first seconds starting PostgreSQL
// and migrating the template, so vitest's ~10 s no longer add to the run. Vitest's output is printed
// after jest's; the run fails if either fails. Arguments go to jest (`npm test -- test/crm`).
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { build } = require('./build.cjs');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, { capture }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    if (capture) {
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
    }
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main() {
  await build();
  const vitest = run(bin('vitest'), ['run', '--config', 'apps/console/vite.config.mts'], { capture: true });
  const jest = await run(bin('jest'), process.argv.slice(2), { capture: false });
  const consoleTests = await vitest;
  process.stdout.write(`\nconsole unit tests (vitest):\n${consoleTests.output}`);
  if (consoleTests.code !== 0) process.stderr.write('console unit tests (vitest) failed\n');
  process.exitCode = jest.code || consoleTests.code;
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
