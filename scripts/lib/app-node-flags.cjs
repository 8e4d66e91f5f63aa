// The node flags each app runs with, wherever it is started: `npm start` (scripts/start.cjs) and the tests
// and benches (libs/testing) take them from here; package.json's start:<app> scripts and the Dockerfile's
// CMDs repeat them (test/platform/docker-build checks they agree).
// The workflow app's young generation is 2 × 32 MiB instead of V8's 2 × 16: a command's engine graph
// (~1.5–2.6 MB allocated per command, sixteen in flight) then dies young instead of being promoted, which
// saves CPU per start and completion for a few tens of MiB (README "Memory", docs/performance.md).
'use strict';
module.exports = {
  gateway: ['--enable-source-maps'],
  workflow: ['--enable-source-maps', '--max-semi-space-size=32'],
};
