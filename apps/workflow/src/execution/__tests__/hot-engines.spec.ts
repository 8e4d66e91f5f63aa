import type { EntityManager } from 'typeorm';
import { WorkflowEnv } from '../../config/workflow.env';
import type { Command, CompiledDefinition, WarmInstance } from '../../engine';
import { HOT_ENGINES_HEAP_SHARE, HotEngines } from '../hot-engines';

const definition = {} as CompiledDefinition;
const command = { type: 'complete' } as unknown as Command;
const engine = () => ({ definition, fits: () => true }) as unknown as WarmInstance;

describe('HotEngines bounds', () => {
  let hot: HotEngines;
  const make = (env: Partial<WorkflowEnv>) => {
    hot = new HotEngines(Object.assign(new WorkflowEnv(), env));
    return hot;
  };
  afterEach(() => hot?.onModuleDestroy());

  /** Commits one step of `instanceId` at `version`, kept at `now`. */
  const keep = (instanceId: string, version: number, now: number) => {
    const tx = {} as EntityManager;
    hot.stepped(tx, instanceId, version, engine());
    hot.committed(tx, now);
  };
  const hits = (instanceId: string, version: number) =>
    hot.take(instanceId, version, definition, command) !== null;

  it('keeps up to 1,000 engines, each for two idle minutes, by default', () => {
    const env = new WorkflowEnv();
    expect(env.WORKFLOW_HOT_ENGINES).toBe(1000);
    expect(env.WORKFLOW_HOT_ENGINE_IDLE_S).toBe(120);
  });

  it('drops the least recently kept engine past WORKFLOW_HOT_ENGINES', () => {
    make({ WORKFLOW_HOT_ENGINES: 2 });
    keep('a', 1, 0);
    keep('b', 1, 1);
    keep('a', 2, 2); // a moves to the end
    keep('c', 1, 3);
    expect(hot.size).toBe(2);
    expect(hits('b', 1)).toBe(false);
    expect(hits('a', 2)).toBe(true);
    expect(hits('c', 1)).toBe(true);
  });

  it('drops engines unused for WORKFLOW_HOT_ENGINE_IDLE_S, and only those', () => {
    make({ WORKFLOW_HOT_ENGINE_IDLE_S: 60 });
    keep('a', 1, 0);
    keep('b', 1, 30_000);
    keep('a', 2, 40_000); // used again: its minute starts over
    hot.sweep(60_000, 0);
    expect(hot.size).toBe(2);
    hot.sweep(90_000, 0);
    expect(hits('b', 1)).toBe(false);
    expect(hits('a', 2)).toBe(true);
  });

  it('keeps an engine carried by a task-only change as used at that commit', () => {
    make({ WORKFLOW_HOT_ENGINE_IDLE_S: 60 });
    keep('a', 1, 0);
    keep('b', 1, 10_000);
    const tx = {} as EntityManager;
    hot.bumped(tx, 'a', 2); // a claim at 50 s: version 1 → 2, same saved state
    hot.committed(tx, 50_000);
    hot.sweep(75_000, 0);
    expect(hits('b', 1)).toBe(false);
    expect(hits('a', 2)).toBe(true);
  });

  it('never drops by age when WORKFLOW_HOT_ENGINE_IDLE_S is 0', () => {
    make({ WORKFLOW_HOT_ENGINE_IDLE_S: 0 });
    keep('a', 1, 0);
    hot.sweep(365 * 86_400_000, 0);
    expect(hits('a', 1)).toBe(true);
  });

  it(`drops the older half while V8's heap is past ${HOT_ENGINES_HEAP_SHARE * 100} % of its limit`, () => {
    make({});
    for (let i = 0; i < 5; i++) keep(`i${i}`, 1, i);
    hot.sweep(10, HOT_ENGINES_HEAP_SHARE);
    expect(hot.size).toBe(5);
    hot.sweep(10, HOT_ENGINES_HEAP_SHARE + 0.01);
    expect(hot.size).toBe(2);
    expect(['i0', 'i1', 'i2'].some((id) => hits(id, 1))).toBe(false);
    expect(hits('i3', 1) && hits('i4', 1)).toBe(true);
  });

  it('keeps nothing and runs no sweeper when WORKFLOW_HOT_ENGINES is 0', () => {
    make({ WORKFLOW_HOT_ENGINES: 0 });
    keep('a', 1, 0);
    expect(hot.size).toBe(0);
  });
});
