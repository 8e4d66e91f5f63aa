#!/usr/bin/env node
// `npm run console:size`: gzip size of what the browser loads for the sign-in and workbench routes
// (entry chunk, its static imports, the route's lazy chunks and their CSS), from vite's manifest.
// bpmn-js and form-js load only with the task, start and instance pages, so they are not counted.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { build } = require('./build.cjs');

const root = path.resolve(__dirname, '..');
const out = path.join(root, 'dist/console');
const ROUTES = {
  'sign-in': ['src/views/auth/LoginView.vue'],
  workbench: ['src/layouts/MainLayout.vue', 'src/views/workbench/WorkbenchView.vue'],
};
// Class names only bpmn-js / form-js bundles contain.
const HEAVY = /bjs-container|fjs-container/;

async function main() {
  await build();
  const manifest = JSON.parse(fs.readFileSync(path.join(out, '.vite/manifest.json'), 'utf8'));
  const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
  const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(out, file)), { level: 9 }).length;
  const collect = (key, files) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) collect(dep, files);
  };
  let worst = 0;
  for (const [route, keys] of Object.entries(ROUTES)) {
    const files = new Set(['index.html']);
    collect(entry, files);
    for (const key of keys) collect(key, files);
    const heavy = [...files].filter((file) => HEAVY.test(fs.readFileSync(path.join(out, file), 'utf8')));
    const total = [...files].reduce((sum, file) => sum + gz(file), 0);
    worst = Math.max(worst, total);
    console.log(
      `console: ${route} route loads ${files.size} files, ${(total / 1024).toFixed(1)} KB gzip` +
        (heavy.length ? ` (includes ${heavy.join(', ')})` : ''),
    );
  }
  const budget = 350 * 1024;
  console.log(`console: budget 350 KB gzip: ${worst <= budget ? 'within' : 'OVER'}`);
  if (worst > budget) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
