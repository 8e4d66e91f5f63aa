import type { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A worker that runs rounds of due work from the database: the next round follows at once while rounds
 * find work, after `pollMs` when one finds none, and after at least a second when one fails. A poll of 0
 * or less switches it off (tests drive `runOnce` themselves). Shutdown waits for the round in flight.
 */
export abstract class PollingWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private stopped = false;

  protected abstract readonly logger: Logger;
  /** The pause after a round that found nothing to do. */
  protected abstract readonly pollMs: number;
  /** Named in the log line when a round fails. */
  protected abstract readonly roundName: string;

  /** One round; answers how many items it handled. */
  abstract runOnce(): Promise<number>;

  onApplicationBootstrap(): void {
    if (this.pollMs > 0) this.schedule(this.pollMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then((n) => this.schedule(n > 0 ? 0 : this.pollMs))
        .catch((error: unknown) => {
          this.logger.error({ err: error }, `${this.roundName} round failed`);
          this.schedule(Math.max(this.pollMs, 1000));
        });
    }, delay);
  }
}
