import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
// Not the @app/common barrel: it loads Nest and class-validator into every e2e file's sandbox.
import { repoRoot } from '@app/common/config/app-version';

const ROOT = repoRoot();

export type AppName = 'gateway' | 'workflow';

/**
 * One built app as a real child process, started from its bundle (dist/bundle/<app>.js) exactly as
 * `npm start` and the Docker images start it, so tests see real HTTP and TCP.
 * Its output is kept in memory and printed only if a test asks for it (or the app fails to start).
 */
export class AppProcess {
  private child?: ChildProcess;
  private output: string[] = [];

  constructor(
    readonly name: AppName,
    readonly env: Record<string, string>,
    private readonly healthUrl: string,
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

  logs(): string {
    return this.output.join('');
  }

  async start(timeoutMs = 90_000): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        // Benchmarks pass node flags that NODE_OPTIONS refuses (e.g. --cpu-prof).
        ...(this.env.NODE_ARGS ? this.env.NODE_ARGS.split(' ') : []),
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
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > 2000) this.output.splice(0, 1000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start:\n${this.logs().slice(-4000)}`);
      try {
        // Any answer means it is serving; health may still say a dependency is down.
        await fetch(this.healthUrl);
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
    this.child?.kill('SIGSTOP');
  }

  resume(): void {
    this.child?.kill('SIGCONT');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
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
