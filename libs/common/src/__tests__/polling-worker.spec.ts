import { Logger } from '@nestjs/common';
import { PollingWorker } from '../lifecycle/polling-worker';

/** A worker whose rounds report what they handled, and record when they ran. */
class RecordingWorker extends PollingWorker {
  protected readonly logger = new Logger('test');
  protected readonly roundName = 'test';
  protected override readonly startAtOnce = true;
  readonly rounds: number[] = [];

  constructor(
    protected readonly pollMs: number,
    private readonly handled: () => number = () => 0,
  ) {
    super();
  }

  async runOnce(): Promise<number> {
    this.rounds.push(Date.now());
    return this.handled();
  }

  /** What a service does once it committed work due at `atMs`. */
  committed(atMs: number): void {
    this.wakeBy(atMs);
  }
}

/** The same with a probe that answers from a script. */
class ProbingWorker extends RecordingWorker {
  readonly probes: number[] = [];

  constructor(
    pollMs: number,
    private readonly probe: (withinMs: number) => number | null,
    handled?: () => number,
  ) {
    super(pollMs, handled);
  }

  protected override async dueIn(withinMs: number): Promise<number | null> {
    this.probes.push(withinMs);
    return this.probe(withinMs);
  }
}

describe('PollingWorker', () => {
  let worker: RecordingWorker | undefined;
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(async () => {
    await worker?.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('with nothing due, a round is the probe alone, looking one poll ahead', async () => {
    const probing = (worker = new ProbingWorker(1000, () => null));
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(3500);
    expect(probing.probes).toEqual([1000, 1000, 1000, 1000]);
    expect(worker.rounds).toEqual([]);
  });

  it('an item due before the next poll runs when it falls due, not a poll later', async () => {
    const dueAt = 250;
    worker = new ProbingWorker(10_000, () => Math.max(0, dueAt - Date.now()));
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(300);
    expect(worker.rounds).toEqual([dueAt]);
  });

  it('an item due later than the next poll waits for that poll, which probes again', async () => {
    const probing = (worker = new ProbingWorker(1000, () => 5000));
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2500);
    expect(probing.probes).toHaveLength(3); // at 0, 1000 and 2000: never a sleep past the poll
    expect(worker.rounds).toEqual([]);
  });

  it('rounds follow at once while they find work, then the poll resumes', async () => {
    let left = 3;
    worker = new ProbingWorker(
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
    worker = new RecordingWorker(1000);
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2500);
    expect(worker.rounds).toEqual([0, 1000, 2000]);
  });

  it('the poll counts from the start of an idle round: one that waited a whole poll is followed at once', async () => {
    worker = new RecordingWorker(1000, () => 0);
    const holding = worker;
    // a long-polling fetch: the first two rounds are held 1000 and 400 ms, then they answer at once
    const holds = [1000, 400];
    jest.spyOn(holding, 'runOnce').mockImplementation(async () => {
      holding.rounds.push(Date.now());
      const hold = holds.shift() ?? 0;
      if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
      return 0;
    });
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(2500);
    // at once is a 0 ms timer, which Node runs after 1 ms; the third comes a poll after the second began
    expect(worker.rounds).toEqual([0, 1001, 2001]);
  });

  it('work committed here wakes it when it falls due, not at the next poll', async () => {
    let dueAt = Infinity;
    worker = new ProbingWorker(60_000, () => (dueAt === Infinity ? null : Math.max(0, dueAt - Date.now())));
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(100);
    dueAt = 400;
    worker.committed(dueAt);
    await jest.advanceTimersByTimeAsync(1000);
    expect(worker.rounds).toEqual([400]);
  });

  it('a wake during a round comes after it; a later one than the next round changes nothing; none while off', async () => {
    let release!: () => void;
    let first = true;
    worker = new RecordingWorker(1000, () => 0);
    const slow = worker;
    jest.spyOn(slow, 'runOnce').mockImplementation(async () => {
      slow.rounds.push(Date.now());
      if (first) {
        first = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return 0;
    });
    worker.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(10);
    worker.committed(50); // during the first round
    await jest.advanceTimersByTimeAsync(90);
    release();
    await jest.advanceTimersByTimeAsync(10);
    expect(worker.rounds).toEqual([0, 100]);
    worker.committed(5000); // the next poll (1100) comes first
    await jest.advanceTimersByTimeAsync(1100);
    expect(worker.rounds).toEqual([0, 100, 1100]);

    const off = new RecordingWorker(0);
    off.onApplicationBootstrap();
    off.committed(10);
    await jest.advanceTimersByTimeAsync(100);
    expect(off.rounds).toEqual([]);
  });
});
