import { connect } from '@nats-io/transport-node';

/**
 * Runs a boot-time check of a peer the app cannot work without and turns its failure (refused, unknown
 * host, wrong password, missing database) into one line naming the variable, and exit code 1: operators
 * and orchestrators see the cause instead of a driver's stack trace.
 */
export async function reachOrExit(app: string, what: string, reach: () => Promise<unknown>): Promise<void> {
  try {
    await reach();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${app}: cannot reach ${what}: ${reason.split('\n')[0]}\n`);
    process.exit(1);
  }
}

/** A URL for a log line: its password replaced, so the line can be shared. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Connects to the NATS servers once (no reconnects) and closes again. */
export async function probeNats(servers: string, timeoutMs = 5000): Promise<void> {
  const connection = await connect({
    servers: servers.split(',').map((s) => s.trim()),
    timeout: timeoutMs,
    maxReconnectAttempts: 0,
    name: `flowdesk-boot-check-${process.pid}`,
  });
  await connection.close();
}
