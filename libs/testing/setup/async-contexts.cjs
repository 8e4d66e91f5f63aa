// Jest setup file (every project): turns off the AsyncLocalStorage instances of the worker's earlier test
// files. jest-circus creates one per test file (its test execution context) and never disables it, and
// playwright-core one per file that loads it; an enabled storage stays in Node's list for the worker's
// life, and every promise the worker creates afterwards is passed through all of them (async_hooks
// `_propagate`), so the files late in a worker paid for the ~80 before them. A storage is recorded when
// first run; the earlier files' are dead (their modules are gone with their registry) and one used again
// turns itself back on.
'use strict';
const { AsyncLocalStorage } = require('node:async_hooks');

const RECORDED = Symbol.for('flowdesk.test.asyncContexts');
if (!AsyncLocalStorage[RECORDED]) {
  const recorded = new Set();
  AsyncLocalStorage[RECORDED] = recorded;
  for (const method of ['run', 'enterWith']) {
    const original = AsyncLocalStorage.prototype[method];
    AsyncLocalStorage.prototype[method] = function recordThenCall(...args) {
      recorded.add(this);
      return original.apply(this, args);
    };
  }
} else {
  for (const storage of AsyncLocalStorage[RECORDED]) storage.disable();
  AsyncLocalStorage[RECORDED].clear();
}
