import { spawnSync } from 'node:child_process';
import { NATS_TEST_SERVERS } from './stack';

/**
 * Whether the NATS server the tests use answers (checked synchronously, so a file can pick `describe` or
 * `describe.skip` at load time). Off CI a missing server skips with one line; on CI it is a failure,
 * because CI machines have NATS and a silent skip would hide a broken transport.
 */
export function natsForTests(): boolean {
  const url = new URL((process.env.NATS_SERVERS ?? NATS_TEST_SERVERS).split(',')[0]);
  const probe = spawnSync(
    process.execPath,
    [
      '-e',
      `require('node:net').connect(${Number(url.port || 4222)}, ${JSON.stringify(url.hostname)})
        .on('connect', () => process.exit(0)).on('error', () => process.exit(1))`,
    ],
    { timeout: 3000 },
  );
  if (probe.status === 0) return true;
  if (process.env.CI === 'true') throw new Error(`NATS is not reachable at ${url.host}; CI must provide it`);
  console.warn(`skipped: no NATS server at ${url.host} (these tests need one; CI has it)`);
  return false;
}
