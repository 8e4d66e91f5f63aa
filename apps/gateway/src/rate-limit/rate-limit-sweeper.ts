import { Injectable, Logger } from '@nestjs/common';
import { PollingWorker } from '@app/common';
import { RateLimitStore } from './rate-limit.store';

/** Deletes ended rate-limit windows every five minutes, so the counters table holds only live ones. */
@Injectable()
export class RateLimitSweeper extends PollingWorker {
  protected readonly logger = new Logger(RateLimitSweeper.name);
  protected readonly pollMs = 5 * 60_000;
  protected readonly roundName = 'rate-limit sweep';

  constructor(private readonly store: RateLimitStore) {
    super();
  }

  /** One DELETE ends every expired window: the next round waits the full pause. */
  async runOnce(): Promise<number> {
    await this.store.sweepExpired();
    return 0;
  }
}
