import { appendFileSync, readFileSync } from 'node:fs';

/**
 * FLOWDESK_TEST_STACK_LOG=<file>: one JSON line per stack start, stop and eviction, to count a run's boots
 * and see why each one could not reuse a parked stack. Off (and free) without the variable.
 */
export function logStack(event: Record<string, unknown>): void {
  const file = process.env.FLOWDESK_TEST_STACK_LOG;
  if (!file) return;
  const testPath = (globalThis as { expect?: { getState?(): { testPath?: string } } }).expect?.getState?.()
    .testPath;
  appendFileSync(
    file,
    `${JSON.stringify({ at: Date.now(), worker: process.env.JEST_WORKER_ID, file: testPath, ...event })}\n`,
  );
}

/** CPU (user + system, ms) a process has used so far; undefined when it is gone or not on Linux. */
export function cpuMsOf(pid: number | undefined): number | undefined {
  if (!process.env.FLOWDESK_TEST_STACK_LOG || pid === undefined) return undefined;
  try {
    // fields after the command's closing parenthesis: utime and stime are the 12th and 13th, in USER_HZ (100)
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}
