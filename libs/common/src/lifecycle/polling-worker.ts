import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { pollingRoundsTotal } from '@app/observability';
import { pauseOnTestPark, type PausesForTest } from './test-reset';

/**
 * A worker that runs rounds of due work from the database: the next round follows at once while rounds
 * find work, `pollMs` after the start of one that found none (at once when that round itself waited as
 * long, as a long-polling fetch does), and after at least a second when one fails. A poll of 0
 * or less switches it off (tests drive `runOnce` themselves). Shutdown waits for the round in flight.
 * Every round is counted on /metrics (`flowdesk_polling_rounds_total` by worker and outcome).
 * A worker with a `dueIn` probe asks it first: a round with nothing due costs that one statement, and
 * an item falling due before the next poll is run when it falls due rather than up to a poll later.
 */
export abstract class PollingWorker implements OnApplicationBootstrap, OnApplicationShutdown, PausesForTest {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private inRound = false;
  private stopped = false;
  /** While the test harness parks the app's stack (test-reset.ts). */
  private paused = false;
  /** When the scheduled round comes (epoch ms). */
  private nextAt?: number;
  /** The earliest `wakeBy` that came during a round. */
  private wakeAfterRound?: number;

  protected abstract readonly logger: Logger;
  /** The pause after a round that found nothing to do. */
  protected abstract readonly pollMs: number;
  /** Named in the log line when a round fails, and the metric's `worker` label. */
  protected abstract readonly roundName: string;
  /** The first round runs at once on bootstrap instead of after one `pollMs`. */
  protected readonly startAtOnce: boolean = false;

  /** One round; answers how many items it handled. */
  abstract runOnce(): Promise<number>;

  /**
   * Milliseconds until the earliest item a round would handle falls due, looking `withinMs` ahead; 0
   * when one is due, null when none is. Optional; without it every round is a `runOnce`.
   */
  protected dueIn?(withinMs: number): Promise<number | null>;

  /** A failure expected while a dependency is down: backed off like any other, but not logged. */
  protected isQuietFailure(_error: unknown): boolean {
    return false;
  }

  /** True once shutdown began: a round that loops over many items stops between two of them. */
  protected get stopping(): boolean {
    return this.stopped;
  }

  onApplicationBootstrap(): void {
    pauseOnTestPark(this);
    this.start();
  }

  pauseForTest(): void {
    this.paused = true;
    clearTimeout(this.timer);
  }

  resumeForTest(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.inRound) this.start(); // else the round in flight schedules the next
  }

  private start(): void {
    if (this.pollMs > 0) this.schedule(this.startAtOnce ? 0 : this.pollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /**
   * Work that falls due at `atMs` was just committed in this process: the next round comes then, if it
   * would come later (after the round in flight, if one is). Ignored while the worker is off.
   */
  protected wakeBy(atMs: number): void {
    if (this.pollMs <= 0 || this.stopped || this.paused) return;
    if (this.inRound) this.wakeAfterRound = Math.min(this.wakeAfterRound ?? atMs, atMs);
    else if (this.nextAt === undefined || atMs < this.nextAt) this.schedule(atMs - Date.now());
  }

  /** A scheduled round: the probe, then `runOnce` only when something is due. */
  private async round(): Promise<{ handled: number; next: number }> {
    const started = Date.now();
    const wait = this.dueIn ? await this.dueIn(this.pollMs) : 0;
    if (wait === null) return { handled: 0, next: this.pollMs };
    if (wait > 0) return { handled: 0, next: Math.min(wait, this.pollMs) };
    const handled = await this.runOnce();
    return { handled, next: handled > 0 ? 0 : Math.max(0, this.pollMs - (Date.now() - started)) };
  }

  private schedule(delay: number): void {
    if (this.stopped || this.paused) return;
    if (this.wakeAfterRound !== undefined) {
      delay = Math.min(delay, this.wakeAfterRound - Date.now());
      this.wakeAfterRound = undefined;
    }
    delay = Math.max(0, delay);
    clearTimeout(this.timer);
    this.nextAt = Date.now() + delay;
    this.timer = setTimeout(() => {
      this.nextAt = undefined;
      this.inRound = true;
      this.running = this.round()
        .then(({ handled, next }) => {
          this.inRound = false;
          pollingRoundsTotal.inc({ worker: this.roundName, outcome: handled > 0 ? 'worked' : 'idle' });
          this.schedule(next);
        })
        .catch((error: unknown) => {
          this.inRound = false;
          pollingRoundsTotal.inc({ worker: this.roundName, outcome: 'failed' });
          if (!this.isQuietFailure(error))
            this.logger.error({ err: error }, `${this.roundName} round failed`);
          this.schedule(Math.max(this.pollMs, 1000));
        });
    }, delay);
  }
}
