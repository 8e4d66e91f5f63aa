import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDefinition, type CompiledDefinition, type CompileOptions } from '../definition/compile';
import { LiveInstance, resumeAndApply, startInstance } from '../runtime/runtime';
import type { Command, HistoryEvent, Snapshot, StartInput, Wait } from '../runtime/types';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

const compiled = new Map<string, Promise<CompiledDefinition>>();

/** What a host that triggers message, signal and timer start events deploys with. */
export const ALL_EVENT_STARTS: CompileOptions = { eventStarts: ['message', 'signal', 'timer'] };

/** Compiles a fixture once per test file (what DefinitionCache does in production). */
export function deploy(
  path: string,
  options: CompileOptions = ALL_EVENT_STARTS,
): Promise<CompiledDefinition> {
  const key = `${path}|${JSON.stringify(options)}`;
  let hit = compiled.get(key);
  if (!hit) {
    hit = compileDefinition(fixture(path), options);
    compiled.set(key, hit);
  }
  return hit;
}

/**
 * Drives one instance the way the durable layer does: after every step the state goes through
 * JSON (as if saved to and loaded from PostgreSQL) and a fresh engine recovers it.
 */
export class Driver {
  readonly log: HistoryEvent[] = [];
  readonly steps: Snapshot[] = [];
  /** The same path with one engine kept alive (no save / recover): every step must match it. */
  private liveSnapshot: Snapshot;
  private liveDiverged = false;

  private constructor(
    readonly definition: CompiledDefinition,
    public snapshot: Snapshot,
    private readonly now: () => Date,
    private readonly live: LiveInstance,
    liveSnapshot: Snapshot,
  ) {
    this.liveSnapshot = liveSnapshot;
    this.record(snapshot);
    expectSamePath(snapshot, liveSnapshot, 'start');
  }

  static async start(
    definition: CompiledDefinition,
    input: Omit<StartInput, 'definition'> = {},
    now: () => Date = () => new Date(),
  ): Promise<Driver> {
    const snapshot = await startInstance({ definition, ...input }, { now });
    const { live, snapshot: liveSnapshot } = await LiveInstance.start({ definition, ...input }, { now });
    return new Driver(definition, roundTrip(snapshot), now, live, liveSnapshot);
  }

  get status(): Snapshot['status'] {
    return this.snapshot.status;
  }

  get waits(): readonly Wait[] {
    return this.snapshot.waits;
  }

  /** Names of the current waits, sorted (names are what the Java tests assert on). */
  get waitNames(): string[] {
    return this.snapshot.waits.map((w) => w.name ?? w.elementId).sort();
  }

  wait(nameOrId: string, pick: (w: Wait) => boolean = () => true): Wait {
    const found = this.snapshot.waits.filter(
      (w) => (w.name === nameOrId || w.elementId === nameOrId) && pick(w),
    );
    if (found.length === 0) throw new Error(`no wait '${nameOrId}' among [${this.waitNames.join(', ')}]`);
    return found[0]!;
  }

  async apply(command: Command): Promise<Snapshot> {
    const state = JSON.parse(JSON.stringify(this.snapshot.state)) as Snapshot['state'];
    const snapshot = roundTrip(
      await resumeAndApply({ definition: this.definition, state }, command, { now: this.now }),
    );
    this.snapshot = snapshot;
    this.record(snapshot);
    // countersign edits the saved collection before recovery: a live engine cannot replay that
    if (command.type === 'add-signer' || command.type === 'remove-signer') this.liveDiverged = true;
    if (!this.liveDiverged) {
      const previous = this.liveSnapshot;
      this.liveSnapshot = await this.live.apply(translate(command, this.steps.at(-2)!, previous));
      expectSamePath(snapshot, this.liveSnapshot, command.type);
    }
    return snapshot;
  }

  complete(
    nameOrId: string,
    variables?: Record<string, unknown>,
    pick?: (w: Wait) => boolean,
  ): Promise<Snapshot> {
    return this.apply({
      type: 'complete-task',
      executionId: this.wait(nameOrId, pick).executionId,
      ...(variables && { variables }),
    });
  }

  fire(elementId: string): Promise<Snapshot> {
    const timer = this.snapshot.timers.find((t) => t.elementId === elementId);
    if (!timer)
      throw new Error(
        `no timer on '${elementId}' among [${this.snapshot.timers.map((t) => t.elementId).join(', ')}]`,
      );
    return this.apply({ type: 'fire-timer', timerId: timer.timerId });
  }

  entered(elementId: string): number {
    return this.log.filter((e) => e.elementId === elementId && e.event === 'enter').length;
  }

  private record(snapshot: Snapshot): void {
    this.steps.push(snapshot);
    this.log.push(...snapshot.history);
    if (snapshot.status !== 'running') expectHistoryClosed(this.log);
  }
}

export function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** What must not depend on recovery: status, waits, timers and the history of the step. */
function pathOf(s: Snapshot): unknown {
  return {
    status: s.status,
    waits: s.waits.map((w) => [w.elementId, w.name, w.assignee, w.type].join('|')).sort(),
    timers: s.timers.map((t) => t.elementId).sort(),
    // the order in which a cancelled scope's children report their leave is not part of the path
    history: s.history.map((e) => `${e.event} ${e.elementId}${e.outcome ? ` ${e.outcome}` : ''}`).sort(),
    variables: s.variables,
  };
}

function expectSamePath(recovered: Snapshot, live: Snapshot, step: string): void {
  const a = JSON.stringify(pathOf(recovered));
  const b = JSON.stringify(pathOf(live));
  if (a !== b) throw new Error(`recovery changed the path at '${step}':\nrecovered ${a}\nlive      ${b}`);
}

/** Execution / timer ids differ between two runs: address the same wait (element + ordinal). */
function translate(command: Command, before: Snapshot, live: Snapshot): Command {
  const byExecution = (executionId: string): string => {
    const wait = before.waits.find((w) => w.executionId === executionId);
    if (!wait) return executionId;
    const ordinal = before.waits.filter((w) => w.elementId === wait.elementId).indexOf(wait);
    return live.waits.filter((w) => w.elementId === wait.elementId)[ordinal]?.executionId ?? executionId;
  };
  switch (command.type) {
    case 'complete-task':
    case 'child-completed':
    case 'bpmn-error':
      return { ...command, executionId: byExecution(command.executionId) };
    case 'message':
      return command.executionId ? { ...command, executionId: byExecution(command.executionId) } : command;
    case 'fire-timer': {
      const timer = before.timers.find((t) => t.timerId === command.timerId);
      const ordinal = timer ? before.timers.filter((t) => t.elementId === timer.elementId).indexOf(timer) : 0;
      const match = live.timers.filter((t) => t.elementId === timer?.elementId)[ordinal];
      return { ...command, timerId: match?.timerId ?? command.timerId };
    }
    case 'signal':
    case 'cancel':
    case 'resume':
    case 'move':
    case 'add-signer':
    case 'remove-signer':
      return command;
  }
}

/** After an instance ends, every execution it entered has left (no open history row). */
export function expectHistoryClosed(log: readonly HistoryEvent[]): void {
  const open = new Map<string, string>();
  for (const e of log) {
    if (e.event === 'enter') open.set(e.executionId, e.elementId);
    else open.delete(e.executionId);
  }
  if (open.size)
    throw new Error(`the instance ended with open history rows: ${[...open.values()].join(', ')}`);
}
