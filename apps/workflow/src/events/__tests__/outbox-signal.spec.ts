import type { EntityManager } from 'typeorm';
import { OutboxSignal } from '../outbox-signal';

const manager = () => ({}) as EntityManager;

describe('OutboxSignal', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('wakes a waiting fetch when a transaction that appended events commits, and only then', async () => {
    const signal = new OutboxSignal();
    const seen = signal.generation;
    let woken: boolean | undefined;
    void signal.after(seen, 10_000).then((w) => (woken = w));
    const writer = manager();
    signal.appended(writer);
    signal.committed(manager()); // another transaction, which appended nothing
    await jest.advanceTimersByTimeAsync(100);
    expect(woken).toBeUndefined();
    signal.committed(writer);
    await jest.advanceTimersByTimeAsync(0);
    expect(woken).toBe(true);
  });

  it('answers at once for a commit between the read and the wait, and false after the wait', async () => {
    const signal = new OutboxSignal();
    const seen = signal.generation;
    const writer = manager();
    signal.appended(writer);
    signal.committed(writer); // while the fetch was leasing
    await expect(signal.after(seen, 10_000)).resolves.toBe(true);

    const quiet = signal.after(signal.generation, 500);
    await jest.advanceTimersByTimeAsync(500);
    await expect(quiet).resolves.toBe(false);
    await expect(signal.after(signal.generation, 0)).resolves.toBe(false);
  });

  it('a rolled-back transaction wakes nobody; shutdown releases the waiting fetches', async () => {
    const signal = new OutboxSignal();
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
