#!/usr/bin/env node
// Compiles apps/ and libs/ to dist/ with swc (≈1 s for the tree), rewriting the @app/* aliases to relative
// paths. Only changed files are recompiled, so `npm start` and `npm test` can call it every time.
// Type checking is `npm run typecheck` (tsc --noEmit); this script only transpiles.
// Then it bundles each app into one file (scripts/bundle.cjs → dist/bundle/<app>.js, what everything boots)
// and builds the staff console (apps/console, vite → dist/console), each only when its inputs changed.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const swc = require('@swc/core');
const { bundleApps } = require('./bundle.cjs');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'dist');
// bench/ is for developers: the Docker image's build stage copies only apps/ and libs/.
const sourceDirs = ['apps', 'libs', 'bench'].filter((dir) => fs.existsSync(path.join(root, dir)));
const isTestFile = (file) =>
  /\.(spec|e2e-spec|medium-spec)\.ts$/.test(file) || file.includes(`${path.sep}__tests__${path.sep}`);

const aliases = {};
for (const lib of fs.readdirSync(path.join(root, 'libs'))) {
  aliases[`@app/${lib}`] = [`libs/${lib}/src`];
  aliases[`@app/${lib}/*`] = [`libs/${lib}/src/*`];
}

function* walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !isTestFile(full)) yield full;
  }
}

async function build(options = {}) {
  await buildServer();
  await bundleApps();
  if (options.console !== false) await buildConsole();
}

async function buildServer() {
  const started = Date.now();
  const wanted = new Set();
  let compiled = 0;
  for (const dir of sourceDirs) {
    for (const file of walk(path.join(root, dir))) {
      const rel = path.relative(root, file);
      const out = path.join(outDir, rel.replace(/\.ts$/, '.js'));
      wanted.add(out);
      const srcStat = fs.statSync(file);
      if (fs.existsSync(out) && fs.statSync(out).mtimeMs >= srcStat.mtimeMs) continue;
      const result = await swc.transformFile(file, {
        swcrc: false,
        sourceMaps: true,
        module: { type: 'commonjs' },
        jsc: {
          target: 'es2023',
          keepClassNames: true,
          baseUrl: root,
          paths: aliases,
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
        },
      });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, `${result.code}\n//# sourceMappingURL=${path.basename(out)}.map\n`);
      fs.writeFileSync(`${out}.map`, result.map ?? '');
      compiled += 1;
    }
  }
  // Drop output of deleted sources so stale modules (e.g. removed migrations) never load.
  let removed = 0;
  for (const dir of sourceDirs) {
    const distDir = path.join(outDir, dir);
    if (!fs.existsSync(distDir)) continue;
    for (const file of walkJs(distDir)) {
      if (!wanted.has(file)) {
        fs.rmSync(file);
        fs.rmSync(`${file}.map`, { force: true });
        removed += 1;
      }
    }
  }
  if (compiled || removed || process.env.BUILD_VERBOSE) {
    console.log(`build: ${compiled} compiled, ${removed} removed in ${Date.now() - started} ms`);
  }
}

function* walkJs(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkJs(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

const consoleDir = path.join(root, 'apps/console');
const consoleOut = path.join(outDir, 'console');
const consoleStamp = path.join(consoleOut, '.source-hash');

/** Hash of everything the console bundle depends on: its sources (tests and caches excluded) and the lockfile. */
function consoleSourceHash() {
  const hash = crypto.createHash('sha256');
  const files = [];
  const visit = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      // node_modules holds vite's and vitest's caches (vitest rewrites its results on every run, which
      // made `npm test` build the console twice: before vitest and again in jest's global setup).
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') visit(full);
      } else if (!/\.test\.ts$/.test(entry.name)) files.push(full);
    }
  };
  visit(consoleDir);
  files.push(path.join(root, 'package-lock.json'));
  for (const file of files.sort())
    hash.update(path.relative(root, file)).update('\0').update(fs.readFileSync(file));
  return hash.digest('hex');
}

async function buildConsole() {
  if (!fs.existsSync(consoleDir)) return;
  const hash = consoleSourceHash();
  if (fs.existsSync(consoleStamp) && fs.readFileSync(consoleStamp, 'utf8') === hash) return;
  const started = Date.now();
  const vite = await import('vite');
  await vite.build({
    configFile: path.join(consoleDir, 'vite.config.mts'),
    logLevel: 'warn',
    mode: 'production',
  });
  fs.writeFileSync(consoleStamp, hash);
  console.log(`build: console built in ${Date.now() - started} ms (dist/console)`);
}

module.exports = { build };
if (require.main === module) {
  build().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
