import { type ChildProcess, spawn } from 'node:child_process';
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
// Not the @app/common barrel: it loads Nest and class-validator into every e2e file's sandbox.
import { repoRoot } from '@app/common/config/app-version';
import { cpuMsOf } from './stack-log';

const ROOT = repoRoot();
/** The node flags each app runs with, as `npm start` and the Docker images run it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const APP_NODE_FLAGS = require(resolve(ROOT, 'scripts/lib/app-node-flags.cjs')) as Record<AppName, string[]>;

export type AppName = 'gateway' | 'workflow';

/**
 * One built app as a real child process, started from its bundle (dist/bundle/<app>.js) exactly as
 * `npm start` and the Docker images start it, so tests see real HTTP and TCP.
 * Its output is kept in memory and printed only if a test asks for it (or the app fails to start).
 */
export class AppProcess {
  private child?: ChildProcess;
  private output: string[] = [];
  /** What it printed until it answered health (kept when a parked stack is reused). */
  private bootOutput = '';
  /** Stopped, killed, paused, resumed or started again by a test: no longer what a fresh stack has. */
  private changed = false;
  /** Its last start: wall ms until health answered and, with FLOWDESK_TEST_STACK_LOG, CPU ms until then. */
  boot?: { ms: number; cpuMs?: number };

  constructor(
    readonly name: AppName,
    readonly env: Record<string, string>,
    readonly healthUrl: string,
  ) {}

  /** Where its HTTP port answers (the health URL's origin). */
  get origin(): string {
    return new URL(this.healthUrl).origin;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How the last run ended: `signal` is SIGKILL when a stop had to kill it (10 s after SIGTERM). */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    const child = this.child;
    return child && !this.running ? { code: child.exitCode, signal: child.signalCode } : undefined;
  }

  logs(): string {
    return this.output.join('');
  }

  /** Running as booted: no test stopped, killed, paused, resumed or restarted it. */
  get asBooted(): boolean {
    return !this.changed && this.running;
  }

  /** Takes over a running child booted for an earlier test file (libs/testing stack-pool). */
  adopt(child: ChildProcess, bootOutput: string): void {
    this.child = child;
    this.bootOutput = bootOutput;
    this.output = [bootOutput];
    child.ref();
    for (const stream of [child.stdout, child.stderr] as (Readable & Partial<Socket>)[]) {
      stream?.removeAllListeners('data');
      stream?.on('data', (chunk: Buffer) => this.keep(chunk));
      stream?.ref?.();
    }
  }

  /** Hands the child over for a later test file: its output is drained unread until then. */
  release(): { child: ChildProcess; bootOutput: string } | undefined {
    const child = this.child;
    if (!child) return undefined;
    // unreferenced: a jest worker whose files are done exits, and its parked apps leave with it
    // (SUPERVISOR_PID)
    child.unref();
    for (const stream of [child.stdout, child.stderr] as (Readable & Partial<Socket>)[]) {
      stream?.removeAllListeners('data');
      stream?.resume();
      stream?.unref?.();
    }
    return { child, bootOutput: this.bootOutput };
  }

  private keep(chunk: Buffer): void {
    this.output.push(chunk.toString());
    if (this.output.length > 2000) this.output.splice(0, 1000);
  }

  async start(timeoutMs = 90_000): Promise<void> {
    if (this.child) this.changed = true;
    const child = spawn(
      process.execPath,
      [
        ...APP_NODE_FLAGS[this.name],
        // Benchmarks pass node flags that NODE_OPTIONS refuses (e.g. --cpu-prof).
        ...(this.env.NODE_ARGS ? this.env.NODE_ARGS.split(' ') : []),
        // every app of a test run, e.g. `--cpu-prof --cpu-prof-dir=<dir>` to see where a run's CPU goes
        ...(process.env.FLOWDESK_TEST_NODE_ARGS ? process.env.FLOWDESK_TEST_NODE_ARGS.split(' ') : []),
        resolve(ROOT, `dist/bundle/${this.name}.js`),
      ],
      {
        // ENV_FILE=none: a developer's .env must not leak into tests.
        env: {
          PATH: process.env.PATH ?? '',
          ENV_FILE: 'none',
          ...this.env,
          SUPERVISOR_PID: String(process.pid),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
    const started = Date.now();
    const deadline = started + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start:\n${this.logs().slice(-4000)}`);
      try {
        // Any answer means it is serving; health may still say a dependency is down.
        await fetch(this.healthUrl);
        this.bootOutput = this.logs();
        this.boot = { ms: Date.now() - started, cpuMs: cpuMsOf(child.pid) };
        return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${this.name} not healthy after ${timeoutMs} ms:\n${this.logs().slice(-4000)}`);
  }

  /** Graceful stop (SIGTERM), as an orchestrator does. */
  stop(): Promise<void> {
    return this.signal('SIGTERM');
  }

  /** A crash: SIGKILL, nothing flushed, nothing closed. */
  kill(): Promise<void> {
    return this.signal('SIGKILL');
  }

  /** Frozen but connected: the "slow" failure mode (SIGSTOP); `resume()` thaws it. */
  pause(): void {
    this.changed = true;
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.changed = true;
    this.child?.kill('SIGCONT');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    this.changed = true;
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGCONT');
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
