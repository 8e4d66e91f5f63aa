import { Logger } from '@nestjs/common';
import { PollingWorker } from '../lifecycle/polling-worker';

/** A worker whose probe answers from a script, and whose rounds report what they handled. */
class ScriptedWorker extends PollingWorker {
  protected readonly logger = new Logger('test');
  protected readonly roundName = 'test';
  protected override readonly startAtOnce = true;
  readonly rounds: number[] = [];
  readonly probes: number[] = [];

  constructor(
    protected readonly pollMs: number,
    private readonly probe: ((withinMs: number) => number | null) | undefined,
    private readonly handled: () => number = () => 0,
  ) {
    super();
    if (!probe) this.dueIn = undefined;
  }

  protected override async dueIn(withinMs: number): Promise<number | null> {
    this.probes.push(withinMs);
    return this.probe!(withinMs);
  }

  async runOnce(): Promise<number> {
    this.rounds.push(Date.now());
    return this.handled();
  }
}

describe('PollingWorker', () => {
  let worker: ScriptedWorker | undefined;
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(async () => {
    await worker?.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('with nothing due, a round is the probe alone, looking one poll ahead', async () => {
    worker = new ScriptedWorker(1000, () => null);
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3500);
    expect(worker.probes).toEqual([1000, 1000, 1000, 1000]);
    expect(worker.rounds).toEqual([]);
  });

  it('an item due before the next poll runs when it falls due, not a poll later', async () => {
    const dueAt = 250;
    worker = new ScriptedWorker(10_000, () => Math.max(0, dueAt - Date.now()));
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(300);
    expect(worker.rounds).toEqual([dueAt]);
  });

  it('an item due later than the next poll waits for that poll, which probes again', async () => {
    worker = new ScriptedWorker(1000, () => 5000);
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2500);
    expect(worker.probes).toHaveLength(3); // at 0, 1000 and 2000: never a sleep past the poll
    expect(worker.rounds).toEqual([]);
  });

  it('rounds follow at once while they find work, then the poll resumes', async () => {
    let left = 3;
    worker = new ScriptedWorker(
      1000,
      () => (left > 0 ? 0 : null),
      () => (left-- > 0 ? 1 : 0),
    );
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10);
    expect(worker.rounds).toHaveLength(3);
    await jest.advanceTimersByTimeAsync(1000);
    expect(worker.rounds).toHaveLength(3);
  });

  it('without a probe every round runs', async () => {
    worker = new ScriptedWorker(1000, undefined);
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2500);
    expect(worker.rounds).toEqual([0, 1000, 2000]);
  });
});
