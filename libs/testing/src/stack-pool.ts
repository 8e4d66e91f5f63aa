import { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseSnapshot } from './test-database';

/** One app of a parked stack: what a test file's AppProcess needs to take it over. */
export interface ParkedApp {
  /** Absent for an app the stack did not start (withWorkflow: false). */
  child?: ChildProcess;
  env: Record<string, string>;
  healthUrl: string;
  bootOutput: string;
}

/**
 * A booted stack waiting, database reset and caches flushed, for the next test file of this jest worker
 * that asks for the same configuration (`key`). Plain data and core objects only: the file whose modules
 * booted it is gone (jest gives every file new modules), so nothing here may call back into them.
 */
export interface ParkedStack {
  key: string;
  db: { name: string; url: string };
  snapshot: DatabaseSnapshot;
  gateway: ParkedApp;
  workflow: ParkedApp;
}

/**
 * Parked stacks per worker. Each one's pollers keep running, and a worker rarely sees a configuration more
 * than a few files apart (jest hands files out longest first), so a few are enough. 0 turns the pool off
 * (every stack boots and stops as before: to compare, or to rule out a leak between files).
 */
export const MAX_PARKED = Number(process.env.FLOWDESK_TEST_PARKED_STACKS ?? 3);

// Jest gives every test file a new module registry and global object, but core modules are the worker's
// own: the list hangs off one of them, so the files of one worker share it.
const PARKED = Symbol.for('flowdesk.testing.parkedStacks');
function parked(): ParkedStack[] {
  const holder = ChildProcess as unknown as Record<symbol, ParkedStack[] | undefined>;
  return (holder[PARKED] ??= []);
}

/** Where global teardown finds parked stacks left at the end of the run (their apps and databases). */
function recordOf(stack: ParkedStack): string | undefined {
  const dir = process.env.FLOWDESK_TEST_RUN_DIR;
  return dir ? join(dir, `${stack.db.name}.json`) : undefined;
}

/** The parked stack for this configuration, if this worker has one; it is the caller's from now on. */
export function takeParkedStack(key: string): ParkedStack | undefined {
  const list = parked();
  const index = list.findIndex((s) => s.key === key);
  if (index < 0) return undefined;
  const [stack] = list.splice(index, 1);
  const record = recordOf(stack);
  if (record) rmSync(record, { force: true });
  return stack;
}

/** Parks a stack for a later file; answers the stacks pushed out (least recently parked), to be stopped. */
export function parkStack(stack: ParkedStack): ParkedStack[] {
  const list = parked();
  list.push(stack);
  const record = recordOf(stack);
  if (record) {
    const pids = [stack.gateway.child?.pid, stack.workflow.child?.pid].filter((p) => p !== undefined);
    writeFileSync(record, JSON.stringify({ database: stack.db.name, pids }));
  }
  const evicted = list.splice(0, Math.max(list.length - MAX_PARKED, 0));
  for (const old of evicted) {
    const oldRecord = recordOf(old);
    if (oldRecord) rmSync(oldRecord, { force: true });
  }
  return evicted;
}
