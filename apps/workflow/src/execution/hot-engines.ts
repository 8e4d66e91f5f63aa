import { getHeapStatistics } from 'node:v8';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type ForgetsForTest, forgetOnTestReset } from '@app/common';
import { hotEnginesTotal } from '@app/observability';
import { WorkflowEnv } from '../config/workflow.env';
import type { Command, CompiledDefinition, WarmInstance } from '../engine';

interface Step {
  /** The row version the step that left this engine wrote. */
  readonly version: number;
  readonly warm: WarmInstance;
}

interface Kept extends Step {
  /** When it was kept (ms since the epoch): an engine unused past `WORKFLOW_HOT_ENGINE_IDLE_S` goes. */
  readonly at: number;
}

/** Kept engines give way once V8's heap is this full (used / limit), whatever their count. */
export const HOT_ENGINES_HEAP_SHARE = 0.5;

/** V8's heap use as a share of its limit (the limit follows --max-old-space-size or the machine's memory). */
export function heapShare(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size / heap.heap_size_limit;
}

/** A task-only change moved the row from `from` to `to` without touching its saved state. */
interface Bump {
  readonly from: number;
  readonly to: number;
}

/**
 * Engines of running instances kept in memory between commands, so a command skips the recovery from
 * the saved state. Safe because an engine is only ever used for the state it stands for:
 * - it is kept only after the transaction of its step committed (`pending` holds it until then; a
 *   rollback leaves it there with its transaction, so it is never kept);
 * - it is used only when the version read under the instance's row lock equals the version its step
 *   wrote (every writer of an instance row bumps the version, on any replica), else it is dropped;
 * - taking it removes it, so one engine serves one command (the row lock serializes an instance's
 *   commands; a failed command leaves nothing behind);
 * - a task-only change (claim, assign, unclaim: `bumped`) moves the version but not the saved state, so
 *   once its transaction commits the engine kept for the version it read stands for the one it wrote.
 * What is kept costs memory only, so it is bounded three ways (`sweep`): least recently kept engines go
 * first past `WORKFLOW_HOT_ENGINES`; an engine unused for `WORKFLOW_HOT_ENGINE_IDLE_S` goes, so a burst
 * (an integration starting and completing at once, a batch) hits while memory returns once people take
 * over; and the older half goes whenever V8's heap is past `HOT_ENGINES_HEAP_SHARE` of its limit.
 */
@Injectable()
export class HotEngines implements ForgetsForTest, OnModuleDestroy {
  /** Map order is the eviction order: taking or keeping an entry moves it to the end, so `at` ascends. */
  private readonly kept = new Map<string, Kept>();
  /** Engines of steps whose transaction has not committed yet, by transaction. */
  private readonly pending = new WeakMap<EntityManager, Map<string, Step | Bump>>();
  private readonly sweeper: NodeJS.Timeout | null;

  constructor(@Inject(WorkflowEnv) private readonly config: WorkflowEnv) {
    forgetOnTestReset(this);
    const idleMs = config.WORKFLOW_HOT_ENGINE_IDLE_S * 1000;
    // idle engines and heap pressure are looked at between commands too: memory returns when all is quiet
    this.sweeper =
      config.WORKFLOW_HOT_ENGINES === 0
        ? null
        : setInterval(() => this.sweep(), Math.min(idleMs || 10_000, 10_000)).unref();
  }

  onModuleDestroy(): void {
    if (this.sweeper) clearInterval(this.sweeper);
  }

  forgetForTest(): void {
    this.kept.clear();
  }

  get size(): number {
    return this.kept.size;
  }

  /**
   * The engine kept for this instance if it stands for the row's `version` (read under the row lock) and
   * can run `command` as a recovered one would; null otherwise (then nothing stays kept for the instance).
   */
  take(
    instanceId: string,
    version: number,
    compiled: CompiledDefinition,
    command: Command,
  ): WarmInstance | null {
    const kept = this.kept.get(instanceId);
    if (!kept) {
      hotEnginesTotal.inc({ result: 'miss' });
      return null;
    }
    this.kept.delete(instanceId);
    if (kept.version !== version || kept.warm.definition !== compiled) {
      hotEnginesTotal.inc({ result: 'stale' });
      return null;
    }
    if (!kept.warm.fits(command)) {
      hotEnginesTotal.inc({ result: 'unfit' });
      return null;
    }
    hotEnginesTotal.inc({ result: 'hit' });
    return kept.warm;
  }

  /** A step in `manager`'s transaction wrote `version` and left `warm` (null: nothing to keep). */
  stepped(manager: EntityManager, instanceId: string, version: number, warm: WarmInstance | null): void {
    let steps = this.pending.get(manager);
    if (!warm || this.config.WORKFLOW_HOT_ENGINES === 0) {
      steps?.delete(instanceId);
      return;
    }
    if (!steps) this.pending.set(manager, (steps = new Map()));
    steps.set(instanceId, { version, warm });
  }

  /**
   * A task-only change in `manager`'s transaction moved the instance row to `version` (from the one
   * before it) without touching its saved state: the engine of that state stays usable at `version`.
   */
  bumped(manager: EntityManager, instanceId: string, version: number): void {
    let steps = this.pending.get(manager);
    const earlier = steps?.get(instanceId);
    if (earlier) {
      // a step or another bump of this transaction came first: carry it on if it ends where this begins
      const at = 'warm' in earlier ? earlier.version : earlier.to;
      if (at !== version - 1) steps?.delete(instanceId);
      else if ('warm' in earlier) steps?.set(instanceId, { version, warm: earlier.warm });
      else steps?.set(instanceId, { from: earlier.from, to: version });
      return;
    }
    if (this.config.WORKFLOW_HOT_ENGINES === 0) return;
    if (!steps) this.pending.set(manager, (steps = new Map()));
    steps.set(instanceId, { from: version - 1, to: version });
  }

  /** The instance row changed in `manager`'s transaction without its engine (end, discard). */
  changed(manager: EntityManager, instanceId: string): void {
    this.pending.get(manager)?.delete(instanceId);
  }

  /** `manager`'s transaction committed: its steps' engines are kept. */
  committed(manager: EntityManager, now = Date.now()): void {
    const steps = this.pending.get(manager);
    if (!steps) return;
    this.pending.delete(manager);
    for (const [instanceId, step] of steps) {
      const current = this.kept.get(instanceId);
      if (!('warm' in step)) {
        // only the engine of the state the bump read moves with it: any other is stale already
        if (current?.version === step.from) this.keep(instanceId, step.to, current.warm, now);
        continue;
      }
      // a later step of the instance may have committed first (its commit resolved before ours)
      if (current && current.version > step.version) continue;
      this.keep(instanceId, step.version, step.warm, now);
    }
    for (const instanceId of this.kept.keys()) {
      if (this.kept.size <= this.config.WORKFLOW_HOT_ENGINES) break;
      this.kept.delete(instanceId);
    }
  }

  /**
   * Drops the engines unused for `WORKFLOW_HOT_ENGINE_IDLE_S` and, if V8's heap is past
   * `HOT_ENGINES_HEAP_SHARE` of its limit, the older half of the rest (the next sweep looks again, after
   * the collector has had the chance to free them). Runs on a timer; arguments for tests.
   */
  sweep(now = Date.now(), share = heapShare()): void {
    const idleMs = this.config.WORKFLOW_HOT_ENGINE_IDLE_S * 1000;
    if (idleMs > 0) {
      for (const [instanceId, kept] of this.kept) {
        if (now - kept.at < idleMs) break;
        this.kept.delete(instanceId);
      }
    }
    if (share > HOT_ENGINES_HEAP_SHARE) {
      let drop = Math.ceil(this.kept.size / 2);
      for (const instanceId of this.kept.keys()) {
        if (drop-- <= 0) break;
        this.kept.delete(instanceId);
      }
    }
  }

  private keep(instanceId: string, version: number, warm: WarmInstance, now: number): void {
    this.kept.delete(instanceId);
    this.kept.set(instanceId, { version, warm, at: now });
  }
}
