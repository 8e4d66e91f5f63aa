import type { INestApplication } from '@nestjs/common';

/**
 * When started by `npm start` or the test harness (SUPERVISOR_PID set), leave with the supervisor:
 * a `kill -9` of the supervisor must not leave apps holding their ports.
 */
export function exitWithSupervisor(app: INestApplication, supervisorPid: number | undefined): void {
  if (!supervisorPid) return;
  const timer = setInterval(() => {
    if (process.ppid === supervisorPid) return;
    clearInterval(timer);
    void app.close().finally(() => process.exit(0));
  }, 1000);
  timer.unref();
}
