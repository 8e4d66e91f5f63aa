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
  /**
   * The configuration sets nothing of its own (the default full stack, or the gateway-only one): most files
   * ask for one of these two, so they are kept before any other.
   */
  plain: boolean;
  db: { name: string; url: string };
  snapshot: DatabaseSnapshot;
  gateway: ParkedApp;
  workflow: ParkedApp;
  /** Date.now() when it was parked. */
  parkedAt: number;
}

/**
 * The default full stack or the gateway-only one: a pool key (stack.ts poolKeyOf: env, gatewayEnv,
 * workflowEnv, transport, withWorkflow) with no settings of its own. The pool keeps these first.
 */
export function isPlainKey(key: string): boolean {
  const [env, gatewayEnv, workflowEnv, transport] = JSON.parse(key) as [
    unknown[],
    unknown[],
    unknown[],
    string,
  ];
  return !env.length && !gatewayEnv.length && !workflowEnv.length && transport === 'tcp';
}

/**
 * Parked stacks per worker. A parked stack's pollers are paused, but its apps hold memory and database
 * connections, so a few. 0 turns the pool off (every stack boots and stops as before: to compare, or to rule
 * out a leak between files).
 */
export const MAX_PARKED = Number(process.env.FLOWDESK_TEST_PARKED_STACKS ?? 3);
/**
 * A parked stack's pollers are paused, so waiting costs it little CPU (sampled in a run: none in 30 s once
 * settled, 10-20 ms a second just after a heavy file), only memory, which MAX_PARKED bounds; this limit
 * ends what a long-lived worker (jest --watch) would keep. It was 120 s while parked pollers ran, and
 * under load a later file of the same configuration often came after that: a full run at load 12-14
 * stopped 18 stacks as idle, 6 of them asked for again (67 boots; 65 replayed without the limit,
 * 2026-12-05).
 */
const MAX_IDLE_MS = 15 * 60_000;

// Jest gives every test file a new module registry and global object, but core modules are the worker's
// own: the list hangs off one of them, so the files of one worker share it.
const PARKED = Symbol.for('flowdesk.testing.parkedStacks');
const ASKED = Symbol.for('flowdesk.testing.stacksAsked');
function parked(): ParkedStack[] {
  const holder = ChildProcess as unknown as Record<symbol, ParkedStack[] | undefined>;
  return (holder[PARKED] ??= []);
}
/** How many files of this worker asked for each configuration so far. */
function asked(): Map<string, number> {
  const holder = ChildProcess as unknown as Record<symbol, Map<string, number> | undefined>;
  return (holder[ASKED] ??= new Map());
}

/** Where global teardown finds parked stacks left at the end of the run (their apps and databases). */
function recordOf(stack: ParkedStack): string | undefined {
  const dir = process.env.FLOWDESK_TEST_RUN_DIR;
  return dir ? join(dir, `${stack.db.name}.json`) : undefined;
}

/** Removes stacks from the list (oldest first): they are the caller's from now on. */
function unpark(list: ParkedStack[], leave: (stack: ParkedStack, index: number) => boolean): ParkedStack[] {
  const taken = list.filter((stack, index) => leave(stack, index));
  for (const stack of taken) {
    list.splice(list.indexOf(stack), 1);
    const record = recordOf(stack);
    if (record) rmSync(record, { force: true });
  }
  return taken;
}

/** The configurations parked on this worker now (FLOWDESK_TEST_STACK_LOG). */
export function parkedKeys(): string[] {
  return parked().map((stack) => stack.key);
}

/** The parked stack for this configuration, if this worker has one; it is the caller's from now on. */
export function takeParkedStack(key: string): ParkedStack | undefined {
  asked().set(key, (asked().get(key) ?? 0) + 1);
  const list = parked();
  const index = list.findIndex((s) => s.key === key);
  return index < 0 ? undefined : unpark(list, (_, i) => i === index)[0];
}

/**
 * The stacks parked too long, then those past `max`, for the caller to stop. Past `max` goes a stack of a
 * configuration with settings of its own before a plain one (`ParkedStack.plain`), then the one fewest files
 * of this worker asked for (least recently parked among equals; the one parked last stays). Most files share
 * a few configurations and about forty have one of their own: a least-recently-parked rule let those push
 * out the shared ones (16 reuses in 88 stacks of a full run; 23 by fewest asked, replaying its order). Early
 * in a worker every configuration has been asked for once, so fewest-asked alone still let one-file
 * configurations push out the plain stacks: 69 boots in a run of 95 stacks, 64 replayed with plain ones kept
 * first (docs/performance.md, "pool").
 */
export function expiredParkedStacks(max = MAX_PARKED): ParkedStack[] {
  const list = parked();
  const now = Date.now();
  const expired = new Set(list.filter((stack) => now - stack.parkedAt > MAX_IDLE_MS));
  const kept = list.filter((stack) => !expired.has(stack));
  const demand = (stack: ParkedStack) => asked().get(stack.key) ?? 0;
  const worth = (a: ParkedStack, b: ParkedStack) =>
    a.plain === b.plain ? demand(a) - demand(b) : a.plain ? 1 : -1;
  while (kept.length > max) {
    // the stack parked last goes only when nothing else can: the file that parked it may start its
    // configuration again (stack-pool.e2e-spec does), and it has been asked for once at most so far
    const candidates = kept.length > 1 ? kept.slice(0, -1) : kept;
    // the list is in parking order: the first of the least worth keeping is the least recently parked
    const least = candidates.reduce((a, b) => (worth(b, a) < 0 ? b : a));
    kept.splice(kept.indexOf(least), 1);
    expired.add(least);
  }
  return unpark(list, (stack) => expired.has(stack));
}

/** Parks a stack for a later file of this worker. */
export function parkStack(stack: ParkedStack): void {
  parked().push(stack);
  const record = recordOf(stack);
  if (record) {
    const pids = [stack.gateway.child?.pid, stack.workflow.child?.pid].filter((p) => p !== undefined);
    writeFileSync(record, JSON.stringify({ database: stack.db.name, pids }));
  }
}
