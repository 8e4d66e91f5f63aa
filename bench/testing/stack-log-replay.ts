/**
 * bench/testing: replays a run's stack log (FLOWDESK_TEST_STACK_LOG, one JSON line per stack start, stop and
 * eviction) through the pool's rules as built (libs/testing stack-pool.ts), worker by worker, and prints how
 * many stacks would have booted. The order of the files and whether each stack could be parked come from
 * the log; which parked stacks stay and which configuration a file asks for come from the code, so a change
 * to the eviction rule can be counted on a logged run without running it again. Keys are taken as logged:
 * a change to what makes two configurations the same needs a log of a run with it.
 * Run: node scripts/build.cjs && node dist/bench/testing/stack-log-replay.js <stack log> [parked per worker]
 */
import { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  expiredParkedStacks,
  isPlainKey,
  MAX_PARKED,
  parkStack,
  takeParkedStack,
} from '@app/testing/stack-pool';

interface Logged {
  at: number;
  worker: string;
  event: 'start' | 'stop' | 'evict';
  key: string | null;
  reused?: boolean;
  parked?: boolean;
}

const [file, parkedArg] = process.argv.slice(2);
if (!file) throw new Error('usage: stack-log-replay.js <stack log> [parked stacks per worker]');
const max = parkedArg === undefined ? MAX_PARKED : Number(parkedArg);
const events = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as Logged);
// the pool's state hangs off ChildProcess (one jest worker's); each logged worker starts with an empty one
const holder = ChildProcess as unknown as Record<symbol, unknown>;
const state = [Symbol.for('flowdesk.testing.parkedStacks'), Symbol.for('flowdesk.testing.stacksAsked')];
const realNow = Date.now;
let logged = { starts: 0, boots: 0 };
let replayed = 0;
for (const worker of [...new Set(events.map((e) => e.worker))].sort()) {
  for (const symbol of state) delete holder[symbol];
  for (const event of events.filter((e) => e.worker === worker)) {
    Date.now = () => event.at;
    if (event.event === 'start') {
      logged = { starts: logged.starts + 1, boots: logged.boots + (event.reused ? 0 : 1) };
      const taken = event.key ? takeParkedStack(event.key) : undefined;
      expiredParkedStacks(max);
      if (!taken) replayed++;
    } else if (event.event === 'stop' && event.parked && event.key) {
      const app = { env: {}, healthUrl: '', bootOutput: '' };
      parkStack({
        key: event.key,
        plain: isPlainKey(event.key),
        db: { name: '', url: '' },
        snapshot: { tables: [], kept: [], shape: '' },
        gateway: app,
        workflow: app,
        parkedAt: event.at,
      });
      expiredParkedStacks(max);
    }
  }
}
Date.now = realNow;
process.stdout.write(
  `${logged.starts} stacks: ${logged.boots} booted in the logged run, ${replayed} with these rules (${max} parked per worker)\n`,
);
