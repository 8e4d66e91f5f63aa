import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AfterCommit } from '@app/database';

/**
 * Timer and signal jobs a transaction wrote, told to this replica's job runner once it commits (as
 * Camunda hints its job executor of a new job): one due before the runner's next poll, such as a
 * signal for another instance (due at once), then runs when it falls due instead of up to a poll
 * later. Only after the commit, since the runner's claim cannot see the job before; a transaction
 * rolled back tells nothing. Jobs written on another replica wait for its runner or the next poll
 * here, as before.
 */
@Injectable()
export class JobWakeups {
  private readonly earliest = new WeakMap<EntityManager, number>();
  private listener?: (dueAtMs: number) => void;

  constructor(private readonly afterCommit: AfterCommit) {}

  /** `manager`'s transaction wrote jobs, the earliest due at `dueAtMs`. */
  wrote(manager: EntityManager, dueAtMs: number): void {
    const known = this.earliest.get(manager);
    if (known !== undefined && known <= dueAtMs) return;
    this.earliest.set(manager, dueAtMs);
    this.afterCommit.once(manager, this, () => {
      const earliest = this.earliest.get(manager);
      this.earliest.delete(manager);
      if (earliest !== undefined) this.listener?.(earliest);
    });
  }

  /** The job runner (one per replica). */
  listen(listener: (dueAtMs: number) => void): void {
    this.listener = listener;
  }
}
