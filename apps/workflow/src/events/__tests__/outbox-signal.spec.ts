import type { EntityManager } from 'typeorm';
import type { AfterCommit } from '@app/database';
import { OutboxSignal } from '../outbox-signal';

/** Transactions by hand: what each registered runs when the test commits it (AfterCommit's own medium spec covers TypeORM's). */
class Commits {
  private readonly runs = new Map<EntityManager, Map<unknown, () => void>>();
  readonly hooks = {
    once: (manager: EntityManager, key: unknown, run: () => void) => {
      const runs = this.runs.get(manager) ?? new Map<unknown, () => void>();
      if (!runs.has(key)) runs.set(key, run);
      this.runs.set(manager, runs);
    },
  } as unknown as AfterCommit;

  commit(manager: EntityManager): void {
    for (const run of this.runs.get(manager)?.values() ?? []) run();
    this.runs.delete(manager);
  }
}

const manager = () => ({}) as EntityManager;

describe('OutboxSignal', () => {
  let commits: Commits;
  let signal: OutboxSignal;
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    commits = new Commits();
    signal = new OutboxSignal(commits.hooks);
  });
  afterEach(() => jest.useRealTimers());

  it('wakes a waiting fetch when a transaction that appended events commits, and only then', async () => {
    const seen = signal.generation;
    let woken: boolean | undefined;
    void signal.after(seen, 10_000).then((w) => (woken = w));
    const writer = manager();
    signal.appended(writer);
    signal.appended(writer); // a second append in the same transaction: one wake
    commits.commit(manager()); // another transaction, which appended nothing
    await jest.advanceTimersByTimeAsync(100);
    expect(woken).toBeUndefined();
    commits.commit(writer);
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toBe(true);
    expect(signal.generation).toBe(seen + 1);
  });

  it('answers at once for a commit between the read and the wait, and false after the wait', async () => {
    const seen = signal.generation;
    const writer = manager();
    signal.appended(writer);
    commits.commit(writer); // while the fetch was leasing
    await expect(signal.after(seen, 10_000)).resolves.toBe(true);

    const quiet = signal.after(signal.generation, 500);
    await jest.advanceTimersByTimeAsync(500);
    await expect(quiet).resolves.toBe(false);
    await expect(signal.after(signal.generation, 0)).resolves.toBe(false);
  });

  it('a rolled-back transaction wakes nobody; shutdown releases the waiting fetches', async () => {
    signal.appended(manager()); // rolled back: never committed
    let woken: boolean | undefined;
    void signal.after(signal.generation, 30_000).then((w) => (woken = w));
    await jest.advanceTimersByTimeAsync(1000);
    expect(woken).toBeUndefined();
    signal.onApplicationShutdown();
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toBe(false);
    await expect(signal.after(signal.generation, 30_000)).resolves.toBe(false);
  });
});
