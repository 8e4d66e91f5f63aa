import { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { expiredParkedStacks, type ParkedStack, parkStack, takeParkedStack } from '../stack-pool';

// The pool's state hangs off a core module, shared by the files of a jest worker: an e2e file before this
// one may have left real stacks parked. Each test gets an empty pool and the worker's is put back after.
const holder = ChildProcess as unknown as Record<symbol, unknown>;
const STATE = [Symbol.for('flowdesk.testing.parkedStacks'), Symbol.for('flowdesk.testing.stacksAsked')];
let saved: unknown[] = [];
beforeEach(() => {
  saved = STATE.map((symbol) => holder[symbol]);
  for (const symbol of STATE) delete holder[symbol];
});
afterEach(() => {
  expiredParkedStacks(0); // the fakes' records (FLOWDESK_TEST_RUN_DIR) go with them
  STATE.forEach((symbol, i) => (holder[symbol] = saved[i]));
});

const prefix = randomBytes(4).toString('hex');
const stackOf = (key: string, plain = false): ParkedStack => {
  const app = { env: {}, healthUrl: 'http://127.0.0.1:1/health', bootOutput: '' };
  return {
    key: `${prefix}:${key}`,
    plain,
    db: { name: `fd_${key}`, url: `postgres://unused/fd_${key}` },
    snapshot: { tables: [], kept: [], shape: '' },
    gateway: app,
    workflow: app,
    parkedAt: Date.now(),
  };
};
/** What startStack does for a file: ask for its configuration, then park the stack when the file ends. */
const fileWith = (key: string, plain = false) => {
  takeParkedStack(`${prefix}:${key}`);
  parkStack(stackOf(key, plain));
};
const keysOf = (stacks: ParkedStack[]) => stacks.map((s) => s.key.slice(prefix.length + 1));

describe('stack pool: which parked stack makes room', () => {
  it('keeps the configuration most files asked for, not the most recently parked', () => {
    fileWith('shared');
    fileWith('shared');
    fileWith('shared'); // asked three times; parked once (each file took the last one's)
    fileWith('one-off-a');
    fileWith('one-off-b');
    expect(keysOf(expiredParkedStacks(2))).toEqual(['one-off-a']);
    expect(keysOf(expiredParkedStacks(0))).toEqual(['shared', 'one-off-b']);
  });

  it('among configurations asked for as often, lets the least recently parked go', () => {
    fileWith('a');
    fileWith('b');
    fileWith('c');
    expect(keysOf(expiredParkedStacks(2))).toEqual(['a']);
    expect(keysOf(expiredParkedStacks(1))).toEqual(['b']);
  });

  it('keeps the stack parked last for its file, which may start the same configuration again', () => {
    for (const key of ['shared', 'shared', 'also-shared', 'also-shared', 'other', 'other']) fileWith(key);
    fileWith('mine'); // asked for once so far: the fewest, but its file is still running
    expect(keysOf(expiredParkedStacks(3))).toEqual(['shared']);
    expect(keysOf(expiredParkedStacks(0))).toEqual(['also-shared', 'other', 'mine']);
  });

  it('keeps a plain stack (no settings of its own) before any other, however often each was asked for', () => {
    // the start of a worker: every configuration asked for once so far, the plain one parked first
    fileWith('default', true);
    fileWith('one-off-a');
    fileWith('one-off-b');
    fileWith('one-off-c');
    expect(keysOf(expiredParkedStacks(3))).toEqual(['one-off-a']);
    fileWith('shared');
    fileWith('shared'); // asked for twice: more than the plain one, still let go first
    fileWith('mine');
    expect(keysOf(expiredParkedStacks(3))).toEqual(['one-off-b', 'one-off-c']);
    expect(keysOf(expiredParkedStacks(2))).toEqual(['shared']);
  });
});
