import type { INestApplication } from '@nestjs/common';

/** How long a close after the supervisor left may take before the app leaves anyway. */
export const SUPERVISOR_CLOSE_GRACE_MS = 10_000;

/**
 * When started by `npm start` or the test harness (SUPERVISOR_PID set), leave with the supervisor:
 * a `kill -9` of the supervisor must not leave apps holding their ports. The close is graceful, but
 * bounded: with the supervisor gone nobody would send the SIGKILL an orchestrator sends after its
 * grace, and a close can hang (pg waits for a server that died with the supervisor to end its
 * connections).
 */
export function exitWithSupervisor(app: INestApplication, supervisorPid: number | undefined): void {
  if (!supervisorPid) return;
  const timer = setInterval(() => {
    if (process.ppid === supervisorPid) return;
    clearInterval(timer);
    setTimeout(() => process.exit(0), SUPERVISOR_CLOSE_GRACE_MS).unref();
    void app.close().finally(() => process.exit(0));
  }, 1000);
  timer.unref();
}
