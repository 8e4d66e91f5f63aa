import { randomUUID } from 'node:crypto';
import type { CompiledDefinition } from '../definition/compile';
import type { ElementModel } from '../definition/model';

/** A run of a sub-process: bpmn-elements' ProcessExecution, as far as it is used here. */
interface Run {
  readonly executionId: string;
  readonly completed?: boolean;
  getState(): Record<string, unknown>;
}

interface RunContent {
  readonly type?: string;
  readonly executionId?: string;
  readonly isRootScope?: boolean;
  readonly parent?: {
    readonly id?: string;
    readonly type?: string;
    readonly executionId?: string;
    readonly path?: unknown[];
  };
}

/** bpmn-elements' SubProcessBehaviour (a function constructor), as far as it is used here. */
interface SubProcessBehaviour {
  loopCharacteristics?: unknown;
  readonly executions: Run[];
  getState(): unknown;
  recover(state: unknown): unknown;
  _completeExecution(routingKey: string, content: RunContent): unknown;
}
type BehaviourClass = new (...args: unknown[]) => SubProcessBehaviour;

export interface RunnableEventSubProcess {
  readonly id: string;
  Behaviour: BehaviourClass;
  readonly isRunning?: boolean;
  run(content?: unknown): unknown;
  readonly broker: { publish(exchange: string, routingKey: string, content: object): void };
  readonly [EXECUTE_MESSAGE]?: { readonly content?: RunContent & Record<string, unknown> };
}

const EXECUTE_MESSAGE = Symbol.for('executeMessage');
const EXECUTIONS = Symbol.for('executions');
/** Where the saved state of a sub-process keeps its runs beyond the first. */
const MORE_RUNS = 'flowdeskMoreRuns';
/** ... and whether the first has ended. */
const FIRST_DONE = 'flowdeskFirstRunDone';

/**
 * bpmn-engine `extensions` entry: a non-interrupting event sub-process runs once per message, signal,
 * timer firing or escalation, also while an earlier run still waits, as in Camunda and Flowable (each occurrence
 * starts a run: Flowable's testStartingAdditionalTasksWithNestedEventSubProcess; a reminder task per
 * firing of a timeCycle). bpmn-elements runs an activity once at a time (`run` throws while it runs),
 * so a further run is started the way a multi-instance sub-process starts an iteration: one more
 * execution of the running activity (`startRun`). Its behaviour keeps every run in the saved state
 * (bpmn-elements saves the first only), completes the activity when the last run ends rather than
 * when the first one does, and forgets runs that ended.
 */
export function concurrentEventSubProcessRuns(definition: CompiledDefinition) {
  // once per engine, not per activity it builds (every recover builds them all)
  const several = new Set<string>();
  for (const start of definition.model.process.elements) {
    if (start.kind !== 'startEvent' || start.cancelActivity !== false || !repeatable(start)) continue;
    const parent = start.parentId ? definition.elementsById.get(start.parentId) : undefined;
    if (parent?.triggeredByEvent && !parent.multiInstance) several.add(parent.id);
  }
  return (activity: RunnableEventSubProcess): undefined => {
    if (!several.has(activity.id)) return undefined;
    activity.Behaviour = severalRuns(activity.Behaviour);
    // bpmn-elements runs an escalation event sub-process itself, for each escalation its scope throws
    // (ProcessExecution's delegated event): while a run goes on, one more beside it
    const run = activity.run.bind(activity);
    activity.run = (content?: unknown) => (activity.isRunning ? startRun(activity) : run(content));
    return undefined;
  };
}

/** A start event that can fire while an earlier run of its event sub-process goes on. */
export function repeatable(start: ElementModel): boolean {
  const kind = start.eventDefinition?.kind;
  return kind === 'message' || kind === 'signal' || kind === 'timer' || kind === 'escalation';
}

const classes = new WeakMap<BehaviourClass, BehaviourClass>();

function severalRuns(Base: BehaviourClass): BehaviourClass {
  const known = classes.get(Base);
  if (known) return known;
  class SeveralRuns extends Base {
    override getState(): unknown {
      const [first, ...more] = this.executions;
      const state = super.getState() as Record<string, unknown> | undefined;
      if (!first || more.length === 0 || !state) return state;
      // the activity's saved state is this one spread over its own: its `completed` is the activity's
      return { ...state, completed: false, [FIRST_DONE]: state.completed, [MORE_RUNS]: more.map(stateOf) };
    }

    override recover(state: unknown): unknown {
      const saved = state as Record<string, unknown> | undefined;
      const result = super.recover(
        saved && FIRST_DONE in saved ? { ...saved, completed: saved[FIRST_DONE] } : saved,
      );
      const more = saved?.[MORE_RUNS];
      if (!Array.isArray(more)) return result;
      // the base keeps one run unless it is multi-instance; so it is, while it recovers the others
      this.loopCharacteristics = true;
      try {
        for (const run of more) super.recover(run);
      } finally {
        this.loopCharacteristics = undefined;
      }
      return result;
    }

    override _completeExecution(routingKey: string, content: RunContent): unknown {
      const runs = (this as unknown as Record<symbol, Set<Run>>)[EXECUTIONS];
      const run = this.executions.find((r) => r.executionId === content.executionId);
      if (content.isRootScope) {
        // the first run ended: the activity completes with the last one (its execute message waits)
        if (routingKey === 'execute.completed' && this.executions.some((r) => r !== run && !r.completed))
          return undefined;
      } else if (run) runs.delete(run);
      return super._completeExecution(routingKey, content);
    }
  }
  classes.set(Base, SeveralRuns as BehaviourClass);
  return SeveralRuns as BehaviourClass;
}

function stateOf(run: Run): Record<string, unknown> {
  const state = run.getState();
  const environment = (run as unknown as { environment?: { getState(): unknown } }).environment;
  return environment ? { ...state, environment: environment.getState() } : state;
}

/**
 * Starts one more run of a running event sub-process (see concurrentEventSubProcessRuns), as a
 * multi-instance sub-process starts an iteration: an execution of its own under the activity's.
 */
export function startRun(activity: RunnableEventSubProcess): void {
  const root = activity[EXECUTE_MESSAGE]?.content;
  if (!root?.executionId) throw new Error(`<${activity.id}> is not running`);
  activity.broker.publish('execution', 'execute.start', {
    ...root,
    isRootScope: undefined,
    executionId: `${root.executionId}_${randomUUID().slice(0, 8)}`,
    // the activity's run becomes the parent, its own parent the first step of the path
    parent: {
      id: activity.id,
      type: root.type,
      executionId: root.executionId,
      ...(root.parent && {
        path: [
          { id: root.parent.id, type: root.parent.type, executionId: root.parent.executionId },
          ...(root.parent.path ?? []),
        ],
      }),
    },
  });
}
