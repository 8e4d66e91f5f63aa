import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterCommit } from '@app/database';

/**
 * Tells a waiting fetch that outbox events were committed in this process, so the gateway's consumer,
 * holding a fetch open (FetchEventsCommand.waitMs), hands them to its handlers at once instead of at
 * its next poll. Only after the commit, since the lease cannot see the rows before; a transaction rolled
 * back tells nothing. Events committed by another replica, or written in SQL, are found when the held
 * fetch ends (within the gateway's poll) as before.
 */
@Injectable()
export class OutboxSignal implements OnApplicationShutdown {
  private readonly waiting = new Set<() => void>();
  private closed = false;
  /** Counts commits with events: a fetch that read the outbox at generation g waits only if none came since. */
  private commits = 0;

  constructor(private readonly afterCommit: AfterCommit) {}

  get generation(): number {
    return this.commits;
  }

  /** `manager`'s transaction appended outbox events: its commit wakes the waiting fetches. */
  appended(manager: EntityManager): void {
    this.afterCommit.once(manager, this, () => {
      this.commits += 1;
      this.wakeAll();
    });
  }

  /**
   * Resolves true once a commit with events follows generation `since` (at once if one already has),
   * false after `ms` without one or when the app shuts down.
   */
  after(since: number, ms: number): Promise<boolean> {
    if (this.commits !== since) return Promise.resolve(true);
    if (this.closed || ms <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (woken: boolean) => {
        clearTimeout(timer);
        this.waiting.delete(wake);
        resolve(woken);
      };
      const wake = () => done(!this.closed);
      const timer = setTimeout(() => done(false), ms);
      this.waiting.add(wake);
    });
  }

  /** Held fetches answer (with nothing) instead of keeping the shutdown waiting. */
  onApplicationShutdown(): void {
    this.closed = true;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiting]) wake();
  }
}
