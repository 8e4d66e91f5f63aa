import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileDefinition, type CompiledDefinition } from '../definition/compile';
import { resumeAndApply, startInstance } from '../runtime/runtime';
import type { Command, HistoryEvent, Snapshot, StartInput, Wait } from '../runtime/types';

export const FIXTURES = join(__dirname, 'fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

const compiled = new Map<string, Promise<CompiledDefinition>>();

/** Compiles a fixture once per test file (what DefinitionCache does in production). */
export function deploy(path: string): Promise<CompiledDefinition> {
  let hit = compiled.get(path);
  if (!hit) {
    hit = compileDefinition(fixture(path));
    compiled.set(path, hit);
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

  private constructor(
    readonly definition: CompiledDefinition,
    public snapshot: Snapshot,
    private readonly now: () => Date,
  ) {
    this.record(snapshot);
  }

  static async start(
    definition: CompiledDefinition,
    input: Omit<StartInput, 'definition'> = {},
    now: () => Date = () => new Date(),
  ): Promise<Driver> {
    const snapshot = await startInstance({ definition, ...input }, { now });
    return new Driver(definition, roundTrip(snapshot), now);
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
  }
}

export function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
