import { Engine } from 'bpmn-engine';
import type { CompiledDefinition } from '../definition/compile';
import {
  addDuration,
  firstDueDate,
  pendingCycleDue,
  parseDateTime,
  parseDuration,
  type TimerKind,
} from '../definition/iso8601';
import { timerCycleProblem } from '../definition/limits';
import { errorCatcherOf } from '../definition/subscriptions';
import type { ElementModel } from '../definition/model';
import { checkStartTimer, nextTimerStart } from '../definition/timer-start';
import { EngineError, EngineErrorCode } from '../errors';
import {
  cachedCompile,
  hasExpression,
  type CompiledExpression,
  type ExpressionScope,
  type ExpressionValue,
} from '../expression';
import {
  createExpressionsHandler,
  createRefusingScripts,
  MAX_INSTANCES,
  RecordingTimers,
  type HostContext,
  type RecordedTimer,
  type TimerOwner,
} from './adapters';
import { DUE_AT } from './held-timer';
import type {
  CallInfo,
  HistoryEvent,
  JoinArrival,
  InstanceStatus,
  JsonValue,
  MultiInstanceInfo,
  PendingTimer,
  ScopeTimer,
  Variables,
  Wait,
  WaitMeta,
  WaitType,
} from './types';
import { specificErrorBoundaryFirst } from './error-precedence';
import { relistenNonInterrupting } from './relisten';
import {
  concurrentEventSubProcessRuns,
  repeatable,
  type RunnableEventSubProcess,
  startRun,
} from './event-sub-process-runs';
import { scopedBoundaryCatches, scopedLinkCatches } from './throw-scope';
import { jsonClone, mergeVariables } from './variables';

// ------------------------------------------------------------------ the parts of bpmn-engine we use

interface MessageContent {
  readonly id?: string;
  readonly type?: string;
  readonly executionId?: string;
  readonly isRecovered?: boolean;
  readonly isMultiInstance?: boolean;
  readonly index?: number;
  readonly loopCardinality?: number;
  readonly loopOutput?: unknown[];
  readonly parent?: {
    readonly id?: string;
    readonly executionId?: string;
    readonly path?: ReadonlyArray<{ readonly id?: string; readonly executionId?: string }>;
  };
  readonly [key: string]: unknown;
}

interface ElementApi {
  readonly id: string;
  readonly type: string;
  readonly executionId: string;
  readonly content: MessageContent;
  readonly owner?: {
    readonly id: string;
    readonly isSubProcess?: boolean;
    readonly execution?: { getPostponed?(): ElementApi[] };
  };
  signal(message?: unknown): void;
  discard(): void;
}

/** An activity of bpmn-elements (only what a move needs). */
interface EngineActivity {
  readonly id: string;
  readonly status?: string;
  readonly broker?: { getQueue?(name: string): { messages: Array<{ content: unknown }> } | undefined };
  readonly [EXECUTE_MESSAGE]?: { content?: Record<string, unknown> };
  readonly [FLOWS]?: { inboundJoinFlows?: Set<{ content: unknown; ack(): void }> };
  getActivityById(id: string): EngineActivity | undefined;
  run(content?: object): void;
  discard(): void;
}

/** bpmn-elements keeps the running execute message under this registered symbol. */
const EXECUTE_MESSAGE = Symbol.for('executeMessage');
/** ... and a join's pending inbound messages under this one. */
const FLOWS = Symbol.for('flows');
/** ... and a process execution's children and postponed messages under this one. */
const ELEMENTS = Symbol.for('elements');

interface ScopeExecution {
  readonly executionId?: string;
  readonly completed?: boolean;
  getActivityById(id: string): EngineActivity | undefined;
  getPostponed(): ElementApi[];
}

interface EngineDefinition {
  getState(): unknown;
  getRunningProcesses(): Array<{ getApi(): ElementApi }>;
}

interface EngineExecution {
  readonly state: string;
  readonly stopped: boolean;
  readonly definitions: EngineDefinition[];
  readonly environment: { getState(): unknown };
  getPostponed(): ElementApi[];
  getActivityById?(id: string): { readonly execution?: { getPostponed?(): ElementApi[] } } | undefined;
}

interface EngineInstance {
  readonly activityStatus: string;
  readonly execution: EngineExecution | null;
  on(event: 'error', listener: (err: Error) => void): void;
  execute(options: { listener: EngineListener }): Promise<unknown>;
  recover(state: unknown): unknown;
  resume(options: { listener: EngineListener }): Promise<unknown>;
}

/**
 * bpmn-engine's `listener` option: its execution calls `emit` with every event of its definitions
 * (activity, flow, process, definition) and their message content, in the order it handles them.
 */
interface EngineListener {
  emit(routingKey: string, api: { content: MessageContent } | undefined): boolean;
}

// ------------------------------------------------------------------ session

const INITIATOR_PLACEHOLDER = '$INITIATOR';

/*
 * The budgets of one command come from the definition's limits (maxStepsPerCommand, maxEngineSliceMs).
 * The slice is the longest stretch of CPU time bpmn-engine may use without yielding (it works
 * synchronously, so this blocks the event loop for every other request). An endless loop of
 * non-waiting elements costs more per step as its stack deepens: ~1,000 steps took 6 s before the stack
 * overflowed. CPU time, not wall time, so a machine under load does not fail legitimate commands.
 */

/**
 * The CPU budget of a slice applies once a command has entered this many elements: process.cpuUsage()
 * counts V8's background threads too (JIT, GC), so a short first run in a cold process could pass 250 ms
 * in a few steps, while a loop or a wide fan-out that blocks the app passes this count long before.
 */
const SLICE_BUDGET_AFTER_STEPS = 50;

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface SessionInit {
  readonly variables: Variables;
  readonly businessKey: string | null;
  readonly initiator: string | null;
  readonly startEventId?: string | null;
  readonly waitMeta: Record<string, WaitMeta>;
  readonly takenFlows: readonly string[];
  readonly completedElements: readonly string[];
  readonly miTotals?: Readonly<Record<string, number>>;
  readonly scopeTimers?: readonly ScopeTimer[];
}

/** A countersign change, resolved against the collection (see runtime `changeSigners`). */
export interface SignerChange {
  readonly type: 'add' | 'remove';
  readonly elementId: string;
  readonly signer: JsonValue;
  /** Position in the collection before the change: the iteration index of that signer. */
  readonly index: number;
  readonly isSequential: boolean;
  /** Length of the collection before the change. */
  readonly collectionLength: number;
  readonly elementVariable: string | null;
}

interface Leaf {
  readonly api: ElementApi;
  readonly element: ElementModel;
  readonly type: WaitType;
}

/** Parts of a saved state that hold variables and message bodies, never an activity queue. */
const SKIPPED_STATE_KEYS = new Set(['environment', 'content', 'fields', 'properties', 'output']);

/** One engine run for one command: recover (or start), apply, collect what the durable layer needs. */
export class InstanceSession implements HostContext {
  readonly variables: Variables;
  readonly waitMeta: Record<string, WaitMeta>;
  readonly takenFlows: Set<string>;
  readonly completedElements: Set<string>;
  readonly history: HistoryEvent[] = [];
  readonly flowsTaken: string[] = [];
  readonly timers: RecordingTimers;
  /** Element id → nrOfInstances after a countersign change (the loop's own messages keep the old count). */
  readonly miTotals: Record<string, number>;
  /** Timer event sub-processes armed in running scopes (see syncScopeTimers). */
  scopeTimers: ScopeTimer[];
  outcome: InstanceStatus | undefined;

  private readonly engine: EngineInstance;
  private readonly failures: EngineError[] = [];
  private readonly engineErrors: Error[] = [];
  private readonly entered = new Set<string>();
  private readonly ended = new Set<string>();
  private live = new Set<string>();
  /** Executions entered (now or before) and not yet left: executionId → element id. */
  private readonly open = new Map<string, string>();
  private readonly builtins: object;
  private steps = 0;
  private readonly initiator: string | null;
  /**
   * CPU ms when the current synchronous stretch of engine work began (reset whenever the session yields);
   * read only once the command is past SLICE_BUDGET_AFTER_STEPS, since process.cpuUsage() is a system
   * call and a command settles in many stretches (3.9 % of the workflow app's CPU in a test run).
   */
  private sliceStartedAt: number | undefined;

  constructor(
    readonly definition: CompiledDefinition,
    init: SessionInit,
    private now: () => Date,
  ) {
    this.variables = init.variables;
    this.initiator = init.initiator;
    this.waitMeta = init.waitMeta;
    this.takenFlows = new Set(init.takenFlows);
    this.completedElements = new Set(init.completedElements);
    this.miTotals = { ...(init.miTotals ?? {}) };
    this.scopeTimers = [...(init.scopeTimers ?? [])];
    this.timers = new RecordingTimers(() => this.now());
    this.builtins = {
      execution: {
        processBusinessKey: init.businessKey,
        businessKey: init.businessKey,
        processDefinitionKey: definition.processId,
      },
    };
    const options: Record<string, unknown> = {
      name: definition.processId,
      sourceContext:
        (init.startEventId ? definition.startContexts.get(init.startEventId) : undefined) ??
        definition.sourceContext,
      expressions: createExpressionsHandler(this),
      scripts: createRefusingScripts(this),
      timers: this.timers,
      extensions: {
        scopedBoundaryCatches: scopedBoundaryCatches(definition),
        specificErrorBoundaryFirst: specificErrorBoundaryFirst(definition),
        relistenNonInterrupting: relistenNonInterrupting(definition),
        concurrentEventSubProcessRuns: concurrentEventSubProcessRuns(definition),
        scopedLinkCatches: scopedLinkCatches(definition),
      },
      settings: { batchSize: MAX_INSTANCES },
      Logger: silentLogger,
    };
    // bpmn-engine's typings do not describe these hooks precisely; their shape is checked at construction.
    this.engine = new Engine(options as ConstructorParameters<typeof Engine>[0]) as unknown as EngineInstance;
    this.engine.on('error', (err) => this.engineErrors.push(err));
  }

  /**
   * The engine's events, for history and the wait facts. Through the listener option rather than a
   * subscription to the engine broker's `event` exchange: a binding there routes every event through two
   * more smqp queues (a message object and an id each), and nothing else subscribes, so unbound the
   * engine's own publish is a no-op. The recovered execution is built without the engine's options, so
   * `execute` and `resume` both pass it.
   */
  private readonly listener: EngineListener = {
    emit: (routingKey, api) => {
      if (api) this.onEvent(routingKey, api.content);
      return true;
    },
  };

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    await this.guard(() => this.engine.execute({ listener: this.listener }));
    await this.settle();
  }

  async recover(engineState: unknown): Promise<void> {
    const state = jsonClone(engineState) as { definitions?: unknown };
    if (!Array.isArray(state.definitions))
      throw new EngineError(EngineErrorCode.INVALID_STATE, 'the saved engine state has no definitions');
    // bpmn-engine would run a BPMN source embedded in a saved state: only ever run the deployed one.
    for (const definition of state.definitions as Array<Record<string, unknown>>) delete definition['source'];
    try {
      this.engine.recover(state);
    } catch (err) {
      throw new EngineError(
        EngineErrorCode.INVALID_STATE,
        `the saved engine state cannot be recovered: ${(err as Error).message}`,
      );
    }
    // what ran when the state was saved, from the saved queues (also holding overdue timers back)
    this.openSavedExecutions(state);
    await this.guard(() => this.engine.resume({ listener: this.listener }));
    await this.settle();
    this.trackRunning();
  }

  /**
   * The activities a saved state holds running: the messages waiting in the activity queue
   * (`execute-<executionId>-q`, what `getPostponed` reads once resumed) of the process and of each
   * sub-process still running (a sub-process that was cancelled keeps its last queue in the state).
   * On the way, a timer that fell due while the instance rested is held back (see holdOverdueTimer).
   */
  private openSavedExecutions(state: unknown): void {
    const now = this.now().getTime();
    const visit = (value: unknown, depth: number): void => {
      if (depth > 256 || !value || typeof value !== 'object') return;
      if (Array.isArray(value)) {
        for (const item of value) visit(item, depth + 1);
        return;
      }
      const node = value as { name?: unknown; messages?: unknown };
      if (typeof node.name === 'string' && Array.isArray(node.messages)) {
        const activityQueue = /^execute-.+-q$/.test(node.name);
        for (const message of node.messages as Array<{ content?: SavedTimerContent }>) {
          if (message.content?.type === 'bpmn:TimerEventDefinition') holdOverdueTimer(message.content, now);
          const { id, executionId } = message.content ?? {};
          if (
            activityQueue &&
            typeof id === 'string' &&
            typeof executionId === 'string' &&
            this.isActivity(id)
          )
            this.open.set(executionId, id);
        }
      }
      for (const [key, child] of Object.entries(value)) {
        if (SKIPPED_STATE_KEYS.has(key)) continue;
        if (key === 'children' && Array.isArray(child))
          visit(
            child.filter((activity: { status?: unknown }) => activity?.status),
            depth + 1,
          );
        else visit(child, depth + 1);
      }
    };
    visit(state, 0);
  }

  /** How an execution left: completed if it reached its end, unless an event sub-process interrupted its scope. */
  private outcomeOf(executionId: string): 'completed' | 'cancelled' {
    return this.ended.has(executionId) && !this.interruptedByEventSubProcess.has(executionId)
      ? 'completed'
      : 'cancelled';
  }

  private isActivity(id: string): boolean {
    return id !== this.definition.processId && this.definition.elementsById.has(id);
  }

  /** What runs now is what this command's history may leave, and what stays open when it ends. */
  private trackRunning(): void {
    const running = this.walk();
    this.live = running.live;
    // activities only: a join also holds the flow messages that arrived at it
    for (const api of running.activities) if (this.isActivity(api.id)) this.open.set(api.executionId, api.id);
  }

  /** Whether the last command left the engine fit for another (nothing failed, the process runs). */
  get reusable(): boolean {
    return !this.failed && this.outcome === undefined;
  }

  /**
   * Readies an engine kept after a command for the next one, as `recover` would leave a new engine
   * given the state that command saved: the per-command records start empty and the saved fields are
   * the saved ones (JSON copies; the countersign totals as the state keeps them).
   */
  reuse(now: () => Date, saved: { miTotals: Readonly<Record<string, number>> }): void {
    this.now = now;
    this.history.length = 0;
    this.flowsTaken.length = 0;
    this.entered.clear();
    this.ended.clear();
    this.open.clear();
    this.raceWon.clear();
    this.lateRacers.clear();
    this.interruptedByEventSubProcess.clear();
    this.throwScope = undefined;
    this.iterationCache.clear();
    this.steps = 0;
    replaceContents(this.variables, jsonClone(this.variables));
    replaceContents(this.waitMeta, jsonClone(this.waitMeta));
    replaceContents(this.miTotals, { ...saved.miTotals });
    this.trackRunning();
  }

  /** Waits until nothing is executing, then throws the first failure, if any. */
  async settle(): Promise<void> {
    await this.settleOnce();
    await this.finishInterruptions();
    await this.discardLateRacers();
  }

  /** Executions of the scope of an interrupting event sub-process that an error or escalation started. */
  private readonly interruptedByEventSubProcess = new Set<string>();

  /**
   * An error or escalation thrown in an inner scope (an embedded sub-process without a boundary event
   * for it) starts an interrupting event sub-process of an outer scope: bpmn-elements runs the handler
   * but lets the rest of that scope carry on, the throwing sub-process completing and taking its outgoing
   * flows. BPMN 2.0 (and Camunda, Flowable) cancel the whole scope: as the start event catches, every other
   * activity of the scope is made to leave without taking its flows, and what still runs is discarded
   * once the engine rests. The scope is the execution the start event caught in: the process, a
   * sub-process, or the one iteration of a multi-instance sub-process (the others carry on, as in
   * Camunda, where each iteration is a scope of its own).
   */
  private interruptScopeOf(start: ElementModel, caught: MessageContent): void {
    if (start.cancelActivity === false) return;
    const esp = this.definition.elementsById.get(start.parentId);
    if (!esp?.triggeredByEvent) return;
    const scope = this.scopeExecutionOf(esp.parentId, caught);
    if (!scope) return;
    this.throwScope = scope.executionId;
    for (const api of scope.getPostponed()) {
      if (api.id === esp.id || !this.definition.elementsById.has(api.id)) continue;
      const execute = scope.getActivityById(api.id)?.[EXECUTE_MESSAGE];
      if (execute?.content) execute.content.ignoreOutbound = true;
      this.interruptedByEventSubProcess.add(api.executionId);
    }
  }

  /**
   * The execution of scope `scopeId` that holds an execution (its message names the scope among its
   * parents): of a multi-instance sub-process, the iteration it runs in.
   */
  private scopeExecutionOf(scopeId: string, inside: MessageContent): ScopeExecution | undefined {
    if (scopeId === this.definition.processId) return this.scopeExecution(scopeId);
    const executionId = parentChain(inside).find((p) => p.id === scopeId)?.executionId;
    if (!executionId) return undefined;
    for (const api of this.walk().activities) {
      if (api.id !== scopeId || !api.owner?.isSubProcess) continue;
      const behaviour = (
        api.owner as unknown as { execution?: { source?: { executions?: ScopeExecution[] } } }
      ).execution?.source;
      const scope = behaviour?.executions?.find((pe) => pe.executionId === executionId);
      if (scope) return scope;
    }
    return undefined;
  }

  /** The scope execution an interrupting event sub-process caught the throw now under way in. */
  private throwScope: string | undefined;

  /**
   * The scopes between the thrower and the scope an interrupting event sub-process caught its throw
   * in (a sub-process inside an iteration of a multi-instance sub-process of that scope, say) would
   * complete as the throwing end event ends and take their outgoing flows before the scope is
   * discarded: they leave without their flows too. The throw's event comes after the catch, with the
   * thrower's parents; a walk of the running tree once per such throw.
   */
  private interruptThrowPath(thrown: MessageContent): void {
    const scope = this.throwScope;
    this.throwScope = undefined;
    if (!scope) return;
    const between = new Set<string>();
    for (const parent of parentChain(thrown)) {
      if (!parent.executionId || parent.executionId === scope) break;
      between.add(parent.executionId);
    }
    if (between.size === 0) return;
    const iterationOnPath = (body: string): boolean => [...between].some((id) => id.startsWith(`${body}_`));
    for (const api of this.walk().activities) {
      const element = this.definition.elementsById.get(api.id);
      if (!element) continue;
      const sequentialBody = element.multiInstance?.isSequential === true && iterationOnPath(api.executionId);
      if (!sequentialBody && !between.has(api.executionId)) continue;
      const execute = (api.owner as unknown as EngineActivity | undefined)?.[EXECUTE_MESSAGE];
      if (execute?.content) execute.content.ignoreOutbound = true;
      this.interruptedByEventSubProcess.add(api.executionId);
      // a sequential loop whose iteration the throw ends would start its next iteration before the
      // scope is discarded: it leaves now
      if (sequentialBody) api.discard();
    }
  }

  /**
   * bpmn-elements starts an error event sub-process only for the error its start event names, so an
   * error thrown for a catch-all start (`<errorEventDefinition />`) was dropped and the thrower carried
   * on. It is started here as bpmn-elements starts a named one, while the error is thrown: run, then
   * the error given to its start event (which catches it and so interrupts the scope).
   */
  private startCatchAllHandler(throwerId: string): void {
    const thrower = this.definition.elementsById.get(throwerId);
    if (thrower?.eventDefinition?.kind !== 'error') return;
    const code = thrower.eventDefinition.code ?? thrower.eventDefinition.ref ?? '';
    const catcher = errorCatcherOf(this.definition, thrower.id, code);
    if (catcher?.kind !== 'startEvent' || catcher.eventDefinition?.ref) return;
    const esp = this.definition.elementsById.get(catcher.parentId)!;
    const handler = this.scopeExecution(esp.parentId)?.getActivityById(esp.id) as
      (EngineActivity & { isRunning?: boolean; run(message?: unknown): void }) | undefined;
    if (!handler || handler.isRunning) return;
    this.setErrorVariables(catcher, code, null);
    try {
      handler.run();
      const start = this.walk().leaves.find((api) => api.id === catcher.id);
      if (start) sendApi(start, 'throw', { message: { id: 'anonymous', code } });
    } catch (err) {
      this.recordFailure(
        new EngineError(
          EngineErrorCode.PROCESS_FAILED,
          `<${esp.id}>: ${(err as Error)?.message ?? 'failed'}`,
        ),
      );
    }
  }

  /**
   * An interrupting boundary event on a sub-process cancels everything inside it (BPMN 2.0 §10.5.4;
   * Camunda and Flowable end the scope's executions without taking any flow). bpmn-elements discards
   * the children one by one, and a discarded child passes its discard on: a join inside the scope that
   * already held the other branch's token then completed and ran what follows it (an end event, a throw)
   * inside the cancelled scope, only in an engine kept in memory. Every activity running inside the
   * attached sub-process leaves without touching its flows.
   */
  private silenceInterruptedScope(attachedId: string, boundaryId: string, caught: MessageContent): void {
    if (this.definition.elementsById.get(attachedId)?.kind !== 'subProcess') return;
    // a timer's or message's event names the boundary event itself as its parent
    const scope = parentChain(caught).find((p) => p.id !== boundaryId)?.executionId;
    const { activities } = this.walk();
    const attached = activities.find((a) => a.id === attachedId && a.content.parent?.executionId === scope);
    if (!attached) return;
    for (const api of activities) {
      if (
        !parentChain(api.content).some(
          (p) => p.id === attachedId && runsIn(p.executionId, attached.executionId),
        )
      )
        continue;
      const execute = (api.owner as unknown as EngineActivity | undefined)?.[EXECUTE_MESSAGE];
      if (execute?.content) execute.content.ignoreOutbound = true;
    }
  }

  /** Interrupting boundary events that caught their event in this command: execution id → attached element. */
  private readonly interrupting = new Map<string, string>();

  /**
   * An interrupting boundary event that catches on a recovered state (a timer inside a multi-instance
   * sub-process fired by its job, and its path threw an error, an escalation or a signal) discards its
   * activity before that activity has resumed: bpmn-elements loses the discard, the activity keeps
   * running and the boundary event waits for it to leave, forever. Once the engine rests, an activity
   * still running under a boundary event that interrupted it is discarded.
   */
  private async finishInterruptions(): Promise<void> {
    for (const executionId of this.interruptedByEventSubProcess) {
      const running = this.walk().activities.find((a) => a.executionId === executionId);
      if (!running) continue;
      await this.guard(() => running.discard());
      await this.settleOnce();
    }
    const caught = [...this.interrupting];
    this.interrupting.clear();
    for (const [boundaryExecutionId, attachedId] of caught) {
      const { activities } = this.walk();
      const boundary = activities.find((a) => a.executionId === boundaryExecutionId);
      if (!boundary) continue;
      const scope = boundary.content.parent?.executionId;
      const attached = activities.find((a) => a.id === attachedId && a.content.parent?.executionId === scope);
      if (!attached) continue;
      await this.guard(() => attached.discard());
      await this.settleOnce();
    }
  }

  private async settleOnce(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.startSlice();
      if (this.engine.activityStatus !== 'executing' || this.failed) break;
    }
    this.throwIfFailed();
  }

  private get failed(): boolean {
    return this.failures.length > 0 || this.engineErrors.length > 0;
  }

  private throwIfFailed(): void {
    const first = this.failures[0];
    if (first) throw first;
    const engineError = this.engineErrors[0];
    if (engineError) {
      const source = (engineError as { source?: { content?: MessageContent } }).source;
      const elementId = source?.content?.id;
      throw new EngineError(
        // a stack overflow inside bpmn-engine is an endless loop, as in guard()
        engineError instanceof RangeError ? EngineErrorCode.BUDGET_EXCEEDED : EngineErrorCode.PROCESS_FAILED,
        `the process failed: ${engineError.message}`,
        elementId ? { elementId } : {},
      );
    }
  }

  recordFailure(error: EngineError): void {
    this.failures.push(error);
  }

  /**
   * Runs a call into bpmn-engine, which works synchronously: an endless loop of non-waiting
   * elements ends in a stack overflow or in our step budget (see onEvent). Either way the command
   * fails with a typed error and the engine instance is thrown away.
   */
  private async guard(run: () => unknown): Promise<void> {
    this.startSlice();
    try {
      await run();
    } catch (err) {
      if (this.failures[0]) throw this.failures[0];
      if (err instanceof EngineError) throw err;
      if (err instanceof RangeError)
        throw new EngineError(
          EngineErrorCode.BUDGET_EXCEEDED,
          'the process failed: it did not come to rest (endless loop without a wait state?)',
        );
      throw new EngineError(EngineErrorCode.PROCESS_FAILED, `the process failed: ${(err as Error)?.message}`);
    }
  }

  private startSlice(): void {
    this.sliceStartedAt = this.steps > SLICE_BUDGET_AFTER_STEPS ? cpuMs() : undefined;
  }

  /** CPU ms of the current stretch; the stretch in which the command passes the step threshold counts from there. */
  private sliceCpuMs(): number {
    const now = cpuMs();
    this.sliceStartedAt ??= now;
    return now - this.sliceStartedAt;
  }

  /** Fails the command when it entered too many elements or ran too long without yielding. */
  private checkBudget(elementId: string): void {
    const { maxStepsPerCommand, maxEngineSliceMs } = this.definition.limits;
    const over =
      ++this.steps > maxStepsPerCommand
        ? `more than ${maxStepsPerCommand} steps in one command`
        : this.steps > SLICE_BUDGET_AFTER_STEPS && this.sliceCpuMs() > maxEngineSliceMs
          ? `more than ${maxEngineSliceMs} ms of CPU without a wait`
          : undefined;
    if (!over) return;
    const error = new EngineError(
      EngineErrorCode.BUDGET_EXCEEDED,
      `the process took ${over} (endless loop?)`,
      {
        elementId,
      },
    );
    this.recordFailure(error);
    throw error;
  }

  // ---------------------------------------------------------------- expression scopes

  scopeFor(content: unknown): ExpressionScope {
    const c = (content ?? {}) as MessageContent;
    const layers: object[] = [];
    const element = typeof c.id === 'string' ? this.definition.elementsById.get(c.id) : undefined;
    const own = element ? multiInstanceLocals(element, c, this.miTotals[element.id]) : undefined;
    if (own) layers.push(own);
    // inside a multi-instance sub-process: the iteration's item, loopCounter, ... (nearest first)
    const ancestors = c.parent ? [c.parent, ...(c.parent.path ?? [])] : [];
    // an event definition's message (a timer's value) names its event's execution, but the scopes
    // above it without their execution ids: take those from the event's own enter
    const eventScope = c.parent?.executionId ? this.scopes.get(c.parent.executionId) : undefined;
    if (eventScope && ancestors.some((a) => !a.executionId))
      ancestors.splice(1, ancestors.length - 1, eventScope, ...(eventScope.path ?? []));
    // an activity's own message (a gateway's conditions, a task's outgoing conditions) names its
    // scopes without their execution ids: take them from its enter, or from the flow it came by
    else if (c.parent && !c.parent.executionId) {
      const own = (c.executionId ? this.scopes.get(c.executionId) : undefined) ?? inboundScope(c);
      if (own) ancestors.splice(0, ancestors.length, own, ...(own.path ?? []));
    }
    for (const ancestor of ancestors) {
      const locals =
        ancestor.id && ancestor.executionId
          ? this.iterationLocals(ancestor.id, ancestor.executionId)
          : undefined;
      if (locals) layers.push(locals);
    }
    layers.push(this.variables, this.builtins);
    return layers;
  }

  private readonly iterationCache = new Map<string, Record<string, unknown> | undefined>();
  /** The scope (parent, with its path) each execution entered in, while it runs: see scopeFor. */
  private readonly scopes = new Map<string, NonNullable<MessageContent['parent']>>();

  private iterationLocals(elementId: string, executionId: string): Record<string, unknown> | undefined {
    const element = this.definition.elementsById.get(elementId);
    if (!element?.multiInstance) return undefined;
    if (this.iterationCache.has(executionId)) return this.iterationCache.get(executionId);
    const activity = this.engine.execution?.getActivityById?.(elementId);
    const iteration = activity?.execution?.getPostponed?.().find((p) => p.executionId === executionId);
    const locals = iteration
      ? multiInstanceLocals(element, iteration.content, this.miTotals[element.id])
      : undefined;
    if (locals) this.iterationCache.set(executionId, locals);
    return locals;
  }

  // ---------------------------------------------------------------- events → history

  private onEvent(routingKey: string, content: MessageContent): void {
    // Note: events of recovered executions carry isRecovered, yet their end/leave are real transitions.
    const at = this.now().toISOString();
    const executionId = content.executionId ?? '';
    const id = content.id ?? '';
    switch (routingKey) {
      case 'activity.enter':
        this.trackRace(id, executionId, 'enter', content.parent?.executionId);
        this.checkBudget(id);
        this.entered.add(executionId);
        this.open.set(executionId, id);
        if (content.parent) this.scopes.set(executionId, content.parent);
        this.history.push({
          elementId: id,
          elementType: this.kindOf(id, content),
          executionId,
          event: 'enter',
          at,
        });
        break;
      // an error or escalation caught, a signal or message consumed (reported by its event definition)
      case 'activity.catch':
      case 'activity.consumed': {
        const element = this.definition.elementsById.get(id);
        if (element?.kind === 'boundaryEvent' && element.attachedTo && element.cancelActivity !== false) {
          this.interrupting.set(
            routingKey === 'activity.catch' ? executionId : (content.parent?.executionId ?? executionId),
            element.attachedTo,
          );
          this.silenceInterruptedScope(element.attachedTo, id, content);
        } else if (routingKey === 'activity.catch' && element?.kind === 'startEvent')
          this.interruptScopeOf(element, content);
        break;
      }
      case 'activity.timeout': {
        const element = this.definition.elementsById.get(id);
        if (element?.kind === 'boundaryEvent' && element.attachedTo && element.cancelActivity !== false)
          this.silenceInterruptedScope(element.attachedTo, id, content);
        break;
      }
      case 'activity.throw':
        this.startCatchAllHandler(id);
        this.interruptThrowPath(content);
        break;
      case 'activity.escalate':
        this.interruptThrowPath(content);
        break;
      case 'activity.end':
        this.trackRace(id, executionId, 'end', content.parent?.executionId);
        this.ended.add(executionId);
        this.completedElements.add(id);
        break;
      case 'activity.leave':
        this.scopes.delete(executionId);
        if (this.open.delete(executionId) || this.entered.has(executionId) || this.live.has(executionId)) {
          const outcome = this.outcomeOf(executionId);
          this.history.push({
            elementId: id,
            elementType: this.kindOf(id, content),
            executionId,
            event: 'leave',
            outcome,
            at,
          });
        }
        break;
      case 'flow.take':
        this.takenFlows.add(id);
        this.flowsTaken.push(id);
        break;
      case 'process.enter':
        if (id === this.definition.processId)
          this.history.push({ elementId: id, elementType: 'process', executionId, event: 'enter', at });
        break;
      case 'process.end':
        if (id === this.definition.processId) this.outcome = 'completed';
        break;
      case 'process.leave':
        if (id === this.definition.processId) {
          this.history.push({
            elementId: id,
            elementType: 'process',
            executionId,
            event: 'leave',
            outcome: this.outcome === 'completed' ? 'completed' : 'cancelled',
            at,
          });
        }
        break;
      default:
        if (routingKey.startsWith('process.discard') && id === this.definition.processId)
          this.outcome = 'cancelled';
    }
  }

  /**
   * Event-based gateway races. A target that completes while the gateway is still taking its
   * outgoing flows (a timer already due) wins before the later targets have entered, and
   * bpmn-elements then lets those later ones wait forever: note them and discard them on settle.
   * The same would happen on recovery to a timer completing as the engine resumes (an overdue timer is
   * held back for its job, see holdOverdueTimer): the targets resumed after it are not discarded. A target of an event-based
   * gateway has no other incoming flow (BPMN 2.0 §10.6.6), so once one target of a gateway run has
   * ended, its siblings in the same scope must not wait.
   */
  private readonly raceWon = new Map<string, boolean>();
  private readonly lateRacers = new Set<string>();
  /** `${gatewayId} ${parentExecutionId}` of the gateway runs one of whose targets ended in this command. */
  private readonly wonRaces = new Set<string>();

  private trackRace(id: string, executionId: string, event: 'enter' | 'end', scope = ''): void {
    const element = this.definition.elementsById.get(id);
    if (element?.kind === 'eventBasedGateway') {
      if (event === 'enter') {
        this.raceWon.set(id, false);
        this.wonRaces.delete(`${id} ${scope}`);
      }
      return;
    }
    for (const gateway of this.racingGatewaysOf(id)) {
      if (event === 'end') {
        this.raceWon.set(gateway, true);
        this.wonRaces.add(`${gateway} ${scope}`);
      } else if (this.raceWon.get(gateway)) this.lateRacers.add(executionId);
    }
  }

  /** Event-based gateways by the targets they race (computed once: trackRace runs on every element event). */
  private racers?: Map<string, string[]>;

  private racingGatewaysOf(id: string): readonly string[] {
    if (!this.racers) {
      this.racers = new Map();
      for (const f of this.definition.model.process.flows)
        if (this.definition.elementsById.get(f.sourceRef)?.kind === 'eventBasedGateway')
          this.racers.set(f.targetRef, [...(this.racers.get(f.targetRef) ?? []), f.sourceRef]);
    }
    return this.racers.get(id) ?? [];
  }

  private async discardLateRacers(): Promise<void> {
    if (this.wonRaces.size)
      for (const leaf of this.walk().leaves) {
        const scope = leaf.content?.parent?.executionId ?? '';
        if (this.racingGatewaysOf(leaf.id).some((g) => this.wonRaces.has(`${g} ${scope}`)))
          this.lateRacers.add(leaf.executionId);
      }
    while (this.lateRacers.size) {
      const executionId = [...this.lateRacers][0]!;
      this.lateRacers.delete(executionId);
      const api = this.walk().leaves.find((l) => l.executionId === executionId);
      const activity = api?.owner as unknown as EngineActivity | undefined;
      if (!activity?.status) continue;
      const execute = activity[EXECUTE_MESSAGE];
      if (execute?.content) execute.content.ignoreOutbound = true;
      await this.guard(() => activity.discard());
      await this.settleOnce();
    }
  }

  private kindOf(id: string, content: MessageContent): string {
    return (
      this.definition.elementsById.get(id)?.kind ?? String(content.type ?? 'unknown').replace(/^bpmn:/, '')
    );
  }

  // ---------------------------------------------------------------- walking the running tree

  /** Leaves of the running tree (waiting executions) and every running execution id. */
  private walk(): { leaves: ElementApi[]; live: Set<string>; activities: ElementApi[] } {
    const leaves: ElementApi[] = [];
    const live = new Set<string>();
    const activities: ElementApi[] = [];
    const execution = this.engine.execution;
    if (!execution) return { leaves, live, activities };
    const visit = (apis: ElementApi[], depth: number): void => {
      if (depth > 64) return;
      for (const api of apis) {
        live.add(api.executionId);
        activities.push(api);
        const owner = api.owner;
        const postponed = owner?.execution?.getPostponed?.() ?? [];
        if (owner?.isSubProcess) {
          for (const p of postponed) if (p.id === owner.id) live.add(p.executionId);
          visit(
            postponed.filter((p) => p.id !== owner.id),
            depth + 1,
          );
          continue;
        }
        const iterations = new Map<string, ElementApi>();
        for (const p of postponed) {
          if (p.id === api.id && p.content.isMultiInstance && p.executionId !== api.executionId)
            iterations.set(p.executionId, p);
        }
        if (iterations.size) {
          for (const it of iterations.values()) {
            live.add(it.executionId);
            leaves.push(it);
          }
        } else leaves.push(api);
      }
    };
    visit(execution.getPostponed(), 0);
    return { leaves, live, activities };
  }

  private leaves(): Leaf[] {
    const result: Leaf[] = [];
    for (const api of this.walk().leaves) {
      const element = this.definition.elementsById.get(api.id);
      if (!element) continue;
      const type = waitTypeOf(element);
      if (type) result.push({ api, element, type });
    }
    return result;
  }

  findWait(executionId: string): Leaf | undefined {
    return this.leaves().find((l) => l.api.executionId === executionId);
  }

  findEventWaits(type: 'message' | 'signal', name: string): Leaf[] {
    return this.leaves().filter((l) => {
      const def = l.element.eventDefinition;
      const kind = l.type === 'receiveTask' ? 'message' : l.type;
      return kind === type && def && (def.refName === name || (!def.refName && def.ref === name));
    });
  }

  /**
   * Start events of event sub-processes that listen for this message / signal and whose scope runs
   * (the process, or a running embedded sub-process). bpmn-elements only starts event sub-processes
   * for events thrown inside the process, so events from outside are routed here.
   */
  findEventSubProcessStarts(type: 'message' | 'signal', name: string): ElementModel[] {
    const running = new Set(this.walk().activities.map((a) => a.id));
    return this.definition.model.process.elements.filter((start) => {
      if (start.kind !== 'startEvent') return false;
      const def = start.eventDefinition;
      if (def?.kind !== type || (def.refName ?? def.ref) !== name) return false;
      const esp = this.definition.elementsById.get(start.parentId);
      if (!esp?.triggeredByEvent) return false;
      return esp.parentId === this.definition.processId || running.has(esp.parentId);
    });
  }

  /**
   * Runs the event sub-process of `start` (see findEventSubProcessStarts). Interrupting: every other
   * token of its scope leaves as cancelled without taking its outgoing flows (as an interrupting
   * boundary event does); non-interrupting: they carry on.
   */
  async triggerEventSubProcess(
    start: ElementModel,
    payload: Record<string, JsonValue>,
    fire: (api: ElementApi) => void = (api) => api.signal(payload),
    inside?: MessageContent,
    at?: ScopeExecution,
  ): Promise<void> {
    const esp = this.definition.elementsById.get(start.parentId)!;
    // an error reported inside an iteration of a multi-instance sub-process: that iteration's handler
    const scope =
      at ?? (inside ? this.scopeExecutionOf(esp.parentId, inside) : this.scopeExecution(esp.parentId));
    const activity = scope?.getActivityById(esp.id) as (EngineActivity & { isRunning?: boolean }) | undefined;
    if (!scope || !activity) {
      throw new EngineError(EngineErrorCode.NO_MATCHING_WAIT, `<${esp.id}> has no running scope`, {
        elementId: esp.id,
      });
    }
    const interrupting = start.cancelActivity ?? true;
    // a non-interrupting one runs once per message, signal or timer firing, runs side by side
    // (event-sub-process-runs.ts); bpmn-engine runs any other once at a time
    const again = !interrupting && repeatable(start);
    if (activity.isRunning && !again) {
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        `the event sub-process <${esp.id}> is running already; it cannot run twice at once`,
        { elementId: esp.id },
      );
    }
    const others = interrupting
      ? scope.getPostponed().filter((api) => api.id !== esp.id && this.definition.elementsById.has(api.id))
      : [];
    await this.guard(() =>
      activity.isRunning ? startRun(activity as unknown as RunnableEventSubProcess) : activity.run(),
    );
    await this.settle();
    // the start event of the new run (an earlier run's has completed)
    const trigger = this.walk().leaves.find((api) => api.id === start.id);
    if (trigger) {
      await this.guard(() => fire(trigger));
      await this.settle();
    }
    for (const api of others) {
      const running = scope.getActivityById(api.id);
      if (!running?.status) continue;
      const execute = running[EXECUTE_MESSAGE];
      if (execute?.content) execute.content.ignoreOutbound = true;
      await this.guard(() => running.discard());
      await this.settle();
    }
  }

  /**
   * Whether `executionId` names the run `scope` of the scope of `start`'s event sub-process, or an
   * execution running inside that run (its messages name the run among their parents).
   */
  runsInside(executionId: string, scope: ScopeExecution, start: ElementModel): boolean {
    if (scope.executionId === executionId) return true;
    const scopeId = this.definition.elementsById.get(start.parentId)!.parentId;
    const api = this.walk().activities.find((a) => a.executionId === executionId);
    if (!api) return false;
    if (scopeId === this.definition.processId) return true;
    return parentChain(api.content).some((p) => p.id === scopeId && p.executionId === scope.executionId);
  }

  /**
   * The running executions of the scope of an event sub-process: the process, a sub-process, or each
   * running iteration of a multi-instance sub-process (each a scope with its own event sub-process, as
   * in Camunda, where a signal reaches every iteration's subscription).
   */
  eventSubProcessScopes(start: ElementModel): ScopeExecution[] {
    const scopeId = this.definition.elementsById.get(start.parentId)!.parentId;
    if (scopeId === this.definition.processId) {
      const process = this.scopeExecution(scopeId);
      return process && this.listens(scopeId, scopeId) ? [process] : [];
    }
    const found: ScopeExecution[] = [];
    for (const api of this.walk().activities) {
      if (api.id !== scopeId || !api.owner?.isSubProcess) continue;
      const behaviour = (
        api.owner as unknown as { execution?: { source?: { executions?: ScopeExecution[] } } }
      ).execution?.source;
      for (const run of behaviour?.executions ?? [])
        if (!run.completed && !found.includes(run) && this.listens(scopeId, run.executionId ?? ''))
          found.push(run);
    }
    return found;
  }

  /** Whether the event sub-processes of this run of scope `scopeId` may start (see the two below). */
  private listens(scopeId: string, runExecutionId: string): boolean {
    const { activities } = this.walk();
    return (
      !this.interruptedRun(scopeId, runExecutionId, activities) &&
      this.ownPathRuns(scopeId, runExecutionId, activities)
    );
  }

  /**
   * Whether this run of scope `scopeId` still holds a token on its own path, outside its event
   * sub-processes. Once the last one has ended, Flowable removes the scope's event subscriptions and
   * timer jobs: runs going on finish, no new one starts (TimerEventSubprocessTest.testNonInterruptingSubProcess:
   * no timer job once `task` is done). A non-interrupting timer cycle kept firing, a message kept
   * starting runs, and the instance did not end while it did.
   */
  private ownPathRuns(scopeId: string, runExecutionId: string, activities: ElementApi[]): boolean {
    const elements = this.definition.elementsById;
    return activities.some((api) => {
      let element = elements.get(api.id);
      while (element && element.parentId !== scopeId) element = elements.get(element.parentId);
      if (!element || element.triggeredByEvent) return false;
      return (
        scopeId === this.definition.processId ||
        parentChain(api.content).some((p) => p.id === scopeId && runsIn(p.executionId, runExecutionId))
      );
    });
  }

  /**
   * Whether an interrupting event sub-process runs in this run of scope `scopeId` (the process id
   * for the process). Camunda and Flowable then remove the scope's other event subscriptions and timer
   * jobs: no other event sub-process of the scope starts any more, nor the running one again
   * (Camunda's InterruptingEventSubProcessTest.testCancelEventSubscriptions, testCancelTimer).
   * bpmn-elements kept them, so a later signal started a second interrupting handler that cancelled
   * the first.
   */
  private interruptedRun(scopeId: string, runExecutionId: string, activities: ElementApi[]): boolean {
    return activities.some((api) => {
      const esp = this.definition.elementsById.get(api.id);
      if (!esp?.triggeredByEvent || esp.parentId !== scopeId || !api.owner) return false;
      const start = this.definition.model.process.elements.find(
        (e) => e.kind === 'startEvent' && e.parentId === esp.id,
      );
      if (start?.cancelActivity === false) return false;
      return (
        scopeId === this.definition.processId ||
        parentChain(api.content).some((p) => p.id === scopeId && runsIn(p.executionId, runExecutionId))
      );
    });
  }

  /**
   * A BPMN error reported for a waiting activity (an external worker's business outcome). Caught as
   * Camunda does, innermost first: a boundary event of the activity, an error event sub-process of
   * its scope, a boundary event of the enclosing sub-process, ...; at each level a matching errorCode
   * beats a catch-all. Nothing catches it → refused, the activity keeps waiting.
   */
  async throwBpmnError(leaf: Leaf, code: string, message: string | null): Promise<void> {
    const elements = this.definition.model.process.elements;
    let current: ElementModel | undefined = leaf.element;
    while (current) {
      const host: ElementModel = current;
      const boundary = pickErrorCatcher(
        elements.filter((e) => e.kind === 'boundaryEvent' && e.attachedTo === host.id),
        code,
      );
      if (boundary) {
        this.setErrorVariables(boundary, code, message);
        // bpmn-elements lets the error leave the activity (and enclosing sub-processes) to the boundary
        await this.guard(
          () => leaf.api.owner && sendApi(leaf.api, 'error', { message: message ?? code, code }),
        );
        await this.settle();
        return;
      }
      const scopeId = host.parentId;
      const start = pickErrorCatcher(
        elements.filter(
          (e) =>
            e.kind === 'startEvent' &&
            this.definition.elementsById.get(e.parentId)?.triggeredByEvent === true &&
            this.definition.elementsById.get(e.parentId)?.parentId === scopeId,
        ),
        code,
      );
      if (start) {
        this.setErrorVariables(start, code, message);
        const def = start.eventDefinition!;
        await this.triggerEventSubProcess(
          start,
          {},
          (api) => sendApi(api, 'throw', { message: { id: def.ref ?? 'anonymous', code, message } }),
          leaf.api.content,
        );
        return;
      }
      current = scopeId === this.definition.processId ? undefined : this.definition.elementsById.get(scopeId);
    }
    throw new EngineError(
      EngineErrorCode.INVALID_COMMAND,
      `no error event catches error code '${code}' thrown at <${leaf.element.id}>`,
      { elementId: leaf.element.id },
    );
  }

  private setErrorVariables(catcher: ElementModel, code: string, message: string | null): void {
    const def = catcher.eventDefinition;
    if (def?.errorCodeVariable) this.variables[def.errorCodeVariable] = code;
    if (def?.errorMessageVariable) this.variables[def.errorMessageVariable] = message;
  }

  /** The execution of a running scope: the process, or a running embedded sub-process. */
  private scopeExecution(scopeId: string): ScopeExecution | undefined {
    const execution = this.engine.execution;
    if (!execution) return undefined;
    if (scopeId === this.definition.processId) {
      for (const definition of execution.definitions) {
        for (const process of definition.getRunningProcesses()) {
          const pe = (process as unknown as { execution?: ScopeExecution }).execution;
          if (pe) return pe;
        }
      }
      return undefined;
    }
    const api = this.walk().activities.find((a) => a.id === scopeId && a.owner?.isSubProcess);
    const source = (api?.owner as unknown as { execution?: { source?: { execution?: ScopeExecution } } })
      ?.execution?.source;
    return source?.execution;
  }

  // ---------------------------------------------------------------- commands

  async signal(leaf: Leaf, payload: Record<string, JsonValue>): Promise<void> {
    await this.guard(() => leaf.api.signal(payload));
    await this.settle();
  }

  async fireTimer(timerId: string): Promise<void> {
    const scopeTimer = this.scopeTimers.find((t) => t.timerId === timerId && t.dueAt !== null);
    if (scopeTimer) {
      // its scope may have ended (an interrupting boundary timer of the scope fired by its own job first)
      if (!this.scopeRuns(scopeTimer.scopeExecutionId))
        throw new EngineError(EngineErrorCode.UNKNOWN_TIMER, `timer '${timerId}': its scope has ended`);
      return this.fireScopeTimer(scopeTimer);
    }
    const ref = this.timers.executing.find((t) => timerIdOf(t) === timerId);
    if (!ref) throw new EngineError(EngineErrorCode.UNKNOWN_TIMER, `no pending timer '${timerId}'`);
    await this.guard(() => this.timers.fire(ref));
    await this.settle();
  }

  private scopeRuns(scopeExecutionId: string): boolean {
    if (scopeExecutionId === this.definition.processId) return this.outcome === undefined;
    return this.walk().activities.some((a) => a.executionId === scopeExecutionId);
  }

  /**
   * Arms the timer of every timer event sub-process whose scope runs and has none yet, and drops
   * those whose scope run has ended (Camunda: the timer job lives as long as the scope execution).
   */
  syncScopeTimers(): void {
    const starts = this.definition.model.process.elements.filter(
      (e) =>
        e.kind === 'startEvent' &&
        e.eventDefinition?.kind === 'timer' &&
        this.definition.elementsById.get(e.parentId)?.triggeredByEvent === true,
    );
    if (starts.length === 0) return;
    const processId = this.definition.processId;
    const scopes = new Map<string, string[]>([[processId, [processId]]]);
    for (const api of this.walk().activities) {
      const element = this.definition.elementsById.get(api.id);
      if (element?.kind !== 'subProcess' || element.triggeredByEvent || !api.owner?.isSubProcess) continue;
      scopes.set(api.id, [...(scopes.get(api.id) ?? []), api.executionId]);
    }
    const running = new Set([...scopes.values()].flat());
    const listening = (start: ElementModel, scopeExecutionId: string) =>
      running.has(scopeExecutionId) &&
      this.listens(this.definition.elementsById.get(start.parentId)!.parentId, scopeExecutionId);
    this.scopeTimers = this.scopeTimers.filter((t) =>
      listening(this.definition.elementsById.get(t.startEventId)!, t.scopeExecutionId),
    );
    for (const start of starts) {
      const esp = this.definition.elementsById.get(start.parentId)!;
      for (const scopeExecutionId of scopes.get(esp.parentId) ?? []) {
        if (!listening(start, scopeExecutionId)) continue;
        const armed = this.scopeTimers.some(
          (t) => t.startEventId === start.id && t.scopeExecutionId === scopeExecutionId,
        );
        if (!armed) this.scopeTimers.push(this.armScopeTimer(start, scopeExecutionId));
      }
    }
  }

  private armScopeTimer(start: ElementModel, scopeExecutionId: string): ScopeTimer {
    const timer = start.eventDefinition!.timer!;
    let value = timer.value;
    if (timer.isExpression) {
      const result = this.compiled(timer.value).evaluate(this.scopeFor({}));
      const problem =
        typeof result !== 'string' || !result.trim()
          ? `the timer value is not a text (got ${typeof result})`
          : (checkStartTimer(timer.kind, result) ?? timerCycleProblem(result, this.definition.limits));
      if (problem)
        throw new EngineError(EngineErrorCode.EXPRESSION_FAILED, `<${start.id}> ${timer.kind}: ${problem}`, {
          elementId: start.id,
        });
      value = (result as string).trim();
    }
    const armedAt = this.now();
    const due = nextTimerStart(
      timer.kind,
      value,
      { anchor: armedAt, fired: 0, previousDue: null },
      this.definition.timeZone,
    );
    return {
      timerId: `esp:${scopeExecutionId}:${start.id}:0`,
      startEventId: start.id,
      scopeExecutionId,
      timerType: timer.kind,
      value,
      armedAt: armedAt.toISOString(),
      fired: 0,
      dueAt: due ? due.toISOString() : null,
    };
  }

  /**
   * Runs the event sub-process of a due scope timer. A non-interrupting cycle is scheduled again
   * first (from its own schedule, not from the firing time); an interrupting timer is used up.
   */
  private async fireScopeTimer(timer: ScopeTimer): Promise<void> {
    const start = this.definition.elementsById.get(timer.startEventId)!;
    const interrupting = start.cancelActivity ?? true;
    const fired = timer.fired + 1;
    const next = interrupting
      ? null
      : nextTimerStart(
          timer.timerType,
          timer.value,
          { anchor: new Date(timer.armedAt), fired, previousDue: timer.dueAt ? new Date(timer.dueAt) : null },
          this.definition.timeZone,
        );
    const updated: ScopeTimer = {
      ...timer,
      timerId: `esp:${timer.scopeExecutionId}:${timer.startEventId}:${fired}`,
      fired,
      dueAt: next ? next.toISOString() : null,
    };
    this.scopeTimers = this.scopeTimers.map((t) => (t === timer ? updated : t));
    // a run still going on: this firing starts one more beside it (event-sub-process-runs.ts)
    await this.triggerEventSubProcess(start, {}, noop);
  }

  async cancel(): Promise<void> {
    const execution = this.engine.execution;
    if (execution) {
      for (const definition of execution.definitions) {
        for (const process of definition.getRunningProcesses())
          await this.guard(() => process.getApi().discard());
      }
    }
    await this.settle();
    this.outcome = 'cancelled';
  }

  /**
   * Moves tokens: the running activities `fromElementIds` (their multi-instance bodies as a whole, their
   * boundary events with them) leave as cancelled without taking or discarding their outgoing flows,
   * and `toElementId` starts afresh in the same scope. Legality (no token stranded at a join) is the
   * planner's job (`planReturn`); this only refuses what bpmn-engine cannot do.
   */
  async move(
    fromElementIds: readonly string[],
    toElementId: string,
    resetJoins: readonly JoinArrival[] = [],
  ): Promise<void> {
    const target = this.definition.elementsById.get(toElementId);
    if (!target || !isMovable(target)) {
      throw new EngineError(EngineErrorCode.INVALID_COMMAND, `<${toElementId}> is not a task to move to`, {
        elementId: toElementId,
      });
    }
    if (fromElementIds.length === 0)
      throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'a move needs the elements to leave');
    if (fromElementIds.includes(toElementId)) {
      throw new EngineError(EngineErrorCode.INVALID_COMMAND, `<${toElementId}> holds a token already`, {
        elementId: toElementId,
      });
    }
    const scope = this.scopeActivity(target.parentId);
    const activity = scope?.getActivityById(toElementId);
    if (!scope || !activity) {
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        `no running scope holds <${toElementId}> (target and tokens must share a (sub-)process)`,
        { elementId: toElementId },
      );
    }
    const leaving: EngineActivity[] = [];
    for (const id of fromElementIds) {
      const element = this.definition.elementsById.get(id);
      const running = element && element.parentId === target.parentId ? scope.getActivityById(id) : undefined;
      if (!running?.status) {
        throw new EngineError(EngineErrorCode.INVALID_COMMAND, `<${id}> holds no token in this scope`, {
          elementId: id,
        });
      }
      leaving.push(running);
    }
    for (const reset of resetJoins) this.forgetArrivals(scope, reset);
    // the target first: with no token left in between, the process would complete
    await this.guard(() => activity.run());
    await this.settle();
    for (const running of leaving) {
      const execute = running[EXECUTE_MESSAGE];
      // bpmn-elements leaves without touching the outgoing flows when the content says so
      if (execute?.content) execute.content.ignoreOutbound = true;
      await this.guard(() => running.discard());
      await this.settle();
    }
  }

  /**
   * Countersign: the collection variable was already changed before recovery (the loop re-reads it,
   * so nrOfInstances follows). Here: check the node runs, and discard a removed signer's iteration.
   */
  async changeSigner(change: SignerChange): Promise<void> {
    const iterations = this.leaves().filter(
      (l) => l.element.id === change.elementId && l.api.content.isMultiInstance,
    );
    if (iterations.length === 0) {
      throw new EngineError(EngineErrorCode.INVALID_COMMAND, `<${change.elementId}> is not running`, {
        elementId: change.elementId,
      });
    }
    this.miTotals[change.elementId] = change.collectionLength + (change.type === 'add' ? 1 : -1);
    if (change.type === 'add') return;
    if (change.isSequential) {
      const current = Math.max(...iterations.map((l) => l.api.content.index ?? 0));
      if (change.index <= current) {
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          `'${String(change.signer)}' has had their turn at <${change.elementId}> already: transfer or complete it instead`,
          { elementId: change.elementId },
        );
      }
      return;
    }
    const variable = change.elementVariable;
    const running = iterations.find((l) => variable !== null && l.api.content[variable] === change.signer);
    // the loop body's message counts started (index) and discarded iterations
    const root = iterations[0]!.api.owner?.execution
      ?.getPostponed?.()
      .find((p) => p.content.isRootScope === true)?.content;
    const started = typeof root?.index === 'number' ? root.index : change.collectionLength;
    const discarded = typeof root?.['discarded'] === 'number' ? root['discarded'] : 0;
    const queued = change.collectionLength - (started - discarded);
    if (!running || queued > 0) {
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        running
          ? `an added signer of <${change.elementId}> is still queued: remove signers before adding more`
          : `'${String(change.signer)}' has no open task at <${change.elementId}>`,
        { elementId: change.elementId },
      );
    }
    await this.guard(() => running.api.discard());
    await this.settle();
  }

  /** A join forgets the arrivals of some inbound flows (acked off its inbound queue). */
  private forgetArrivals(scope: EngineActivity, reset: JoinArrival): void {
    const join = scope.getActivityById(reset.elementId);
    const pending = join?.[FLOWS]?.inboundJoinFlows;
    if (!join || !pending) {
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        `<${reset.elementId}> is not a join of this scope`,
        {
          elementId: reset.elementId,
        },
      );
    }
    // the process also holds each flow message until its target enters: drop those too, or it never ends
    const processPostponed = this.topProcessPostponed();
    for (const message of [...pending]) {
      const content = message.content as { id?: string; sequenceId?: string };
      if (content.id === undefined || !reset.flowIds.includes(content.id)) continue;
      pending.delete(message);
      message.ack();
      for (const held of [...processPostponed]) {
        if ((held.content as { sequenceId?: string }).sequenceId === content.sequenceId) {
          processPostponed.delete(held);
          held.ack();
        }
      }
    }
  }

  /** The top-level process execution's postponed messages (bpmn-elements' registered `elements` symbol). */
  private topProcessPostponed(): Set<{ content: unknown; ack(): void }> {
    for (const definition of this.engine.execution?.definitions ?? []) {
      for (const process of definition.getRunningProcesses()) {
        const execution = (process as unknown as { execution?: Record<symbol, unknown> }).execution;
        const elements = execution?.[ELEMENTS] as
          { postponed?: Set<{ content: unknown; ack(): void }> } | undefined;
        if (elements?.postponed) return elements.postponed;
      }
    }
    throw new EngineError(EngineErrorCode.INVALID_STATE, 'the running process has no execution');
  }

  /** The activity object of a running scope (the process, or a running embedded sub-process). */
  private scopeActivity(scopeId: string): EngineActivity | undefined {
    const execution = this.engine.execution;
    if (!execution) return undefined;
    if (scopeId === this.definition.processId) {
      const start = this.definition.model.process.elements.find((e) => e.parentId === scopeId);
      return start ? (execution.getActivityById?.(start.id) as EngineActivity | undefined) : undefined;
    }
    for (const leaf of this.walk().leaves) {
      const element = this.definition.elementsById.get(leaf.id);
      if (element?.parentId === scopeId) return leaf.owner as unknown as EngineActivity;
    }
    return undefined;
  }

  /** Parallel and inclusive joins that hold arrivals of some, not all, of their inbound flows. */
  joinArrivals(): JoinArrival[] {
    const execution = this.engine.execution;
    const result: JoinArrival[] = [];
    if (!execution) return result;
    const incoming = new Map<string, number>();
    for (const flow of this.definition.model.process.flows)
      incoming.set(flow.targetRef, (incoming.get(flow.targetRef) ?? 0) + 1);
    for (const element of this.definition.model.process.elements) {
      if (element.kind !== 'parallelGateway' && element.kind !== 'inclusiveGateway') continue;
      if ((incoming.get(element.id) ?? 0) < 2) continue;
      const scope = this.scopeActivity(element.parentId);
      const join = scope?.getActivityById(element.id);
      const queue = join?.broker?.getQueue?.('inbound-q');
      const flows = new Set<string>();
      for (const message of queue?.messages ?? []) {
        const content = message.content as { id?: string; isSequenceFlow?: boolean };
        if (content.isSequenceFlow !== false && typeof content.id === 'string') flows.add(content.id);
      }
      if (flows.size > 0) result.push({ elementId: element.id, flowIds: [...flows] });
    }
    return result;
  }

  /**
   * Forgets the timers of activities that no longer run, which closeFinishedExecutions is about to
   * record as left. bpmn-elements does not always clear them: the boundary timer of a task inside a
   * sub-process that another boundary event interrupted stays registered, though the saved state no
   * longer holds it (the step reported it pending and active until its job fired into nothing).
   */
  dropLeftTimers(): void {
    if (this.open.size === 0 || this.timers.executing.length === 0) return;
    const running = this.runningExecutions();
    for (const executionId of this.open.keys())
      if (!running.has(executionId)) this.timers.dropOwnedBy(executionId);
  }

  /** What still runs: the engine's executions and the owners of its pending timers. */
  private runningExecutions(): Set<string> {
    const running = this.walk().live;
    for (const t of this.timers.executing) if (t.owner?.executionId) running.add(t.owner.executionId);
    return running;
  }

  /**
   * History must not keep rows open: an execution entered (now or in an earlier command) that no
   * longer runs has left, even when bpmn-engine did not say so (a scope ended by an error, a boundary
   * event or an interrupting event sub-process discards its children silently on recovered states).
   */
  closeFinishedExecutions(): void {
    if (this.open.size === 0) return;
    const running = this.runningExecutions();
    const at = this.now().toISOString();
    for (const [executionId, elementId] of [...this.open]) {
      if (running.has(executionId)) continue;
      this.open.delete(executionId);
      this.history.push({
        elementId,
        elementType: this.kindOf(elementId, {}),
        executionId,
        event: 'leave',
        outcome: this.outcomeOf(executionId),
        at,
      });
    }
  }

  /**
   * When the instance ends, bpmn-engine detaches the process from its children (cancel, terminate
   * end event) before they leave, so their leave events never surface: record them here.
   */
  closeOpenExecutions(): void {
    const at = this.now().toISOString();
    const processLeave = this.history.findIndex((e) => e.elementType === 'process' && e.event === 'leave');
    const closing: HistoryEvent[] = [];
    for (const [executionId, elementId] of [...this.open].reverse()) {
      closing.push({
        elementId,
        elementType: this.kindOf(elementId, {}),
        executionId,
        event: 'leave',
        outcome: this.outcomeOf(executionId),
        at,
      });
    }
    // before the process's own leave, so the history reads inside-out
    this.history.splice(processLeave < 0 ? this.history.length : processLeave, 0, ...closing);
    this.open.clear();
  }

  setVariables(updates: Variables): void {
    mergeVariables(this.variables, updates);
  }

  /** Variables a finished call activity hands back to this (parent) instance. */
  outputsOf(leaf: Leaf, childVariables: Variables): Variables {
    const call = leaf.element.callActivity;
    const result: Variables = {};
    if (!call) return result;
    const childScope: ExpressionScope = [childVariables];
    for (const mapping of call.outputs) {
      if (mapping.all) Object.assign(result, childVariables);
      else if (mapping.sourceExpression !== undefined && mapping.target) {
        result[mapping.target] = toJson(this.compiled(mapping.sourceExpression).evaluate(childScope));
      } else if (mapping.source !== undefined && mapping.target) {
        result[mapping.target] = Object.hasOwn(childVariables, mapping.source)
          ? (childVariables[mapping.source] ?? null)
          : null;
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- reporting

  waits(): Wait[] {
    const waits: Wait[] = [];
    const seen = new Set<string>();
    for (const leaf of this.leaves()) {
      const { api, element, type } = leaf;
      const executionId = api.executionId;
      if (seen.has(executionId)) continue;
      seen.add(executionId);
      const meta = (this.waitMeta[executionId] ??= this.computeMeta(leaf));
      waits.push({
        executionId,
        elementId: element.id,
        elementKind: element.kind,
        type,
        name: meta.name,
        scopeId: element.parentId,
        createdAt: meta.createdAt,
        assignee: meta.assignee,
        candidateUsers: meta.candidateUsers,
        candidateGroups: meta.candidateGroups,
        formKey: meta.formKey,
        dueDate: meta.dueDate,
        followUpDate: meta.followUpDate,
        priority: meta.priority,
        multiInstance: multiInstanceInfo(element, api.content, this.miTotals[element.id]),
        callActivity: meta.call ?? null,
        eventName: element.eventDefinition?.refName ?? element.eventDefinition?.ref ?? null,
        topic: meta.topic ?? null,
        attachedTo: element.attachedTo ?? null,
      });
    }
    for (const key of Object.keys(this.waitMeta)) if (!seen.has(key)) delete this.waitMeta[key];
    return waits;
  }

  pendingTimers(): PendingTimer[] {
    const timers: PendingTimer[] = [];
    for (const t of this.scopeTimers) {
      if (t.dueAt === null) continue;
      const start = this.definition.elementsById.get(t.startEventId);
      timers.push({
        timerId: t.timerId,
        elementId: t.startEventId,
        executionId: t.scopeExecutionId,
        dueAt: t.dueAt,
        timerType: t.timerType,
        value: t.value,
        repeat: null,
        attachedTo: null,
        interrupting: start?.cancelActivity ?? true,
      });
    }
    timers.push(...this.engineTimers());
    return timers;
  }

  /** bpmn-engine's own timers (the host's scope timers aside). */
  private engineTimers(): PendingTimer[] {
    const timers: PendingTimer[] = [];
    for (const ref of this.timers.executing) {
      const owner = ref.owner;
      if (!owner?.id) continue;
      const element = this.definition.elementsById.get(owner.id);
      const timerType =
        (['timeDuration', 'timeDate', 'timeCycle'] as const).find((t) => t === owner.timerType) ?? null;
      const heldDate = (owner as { [TIME_DATE]?: unknown })[TIME_DATE];
      const value =
        timerType === 'timeDate' && typeof heldDate === 'string'
          ? heldDate
          : timerType
            ? (owner[timerType] ?? null)
            : null;
      const expireAt = dueDateOf(owner, ref, timerType, value, this.definition.timeZone);
      timers.push({
        timerId: timerIdOf(ref),
        elementId: owner.id,
        executionId: owner.parent?.executionId ?? owner.executionId ?? '',
        dueAt: expireAt.toISOString(),
        timerType,
        value: typeof value === 'string' ? value : null,
        repeat: typeof owner.repeat === 'number' ? owner.repeat : null,
        attachedTo: element?.attachedTo ?? null,
        interrupting: element?.kind === 'boundaryEvent' ? (element.cancelActivity ?? true) : null,
      });
    }
    return timers;
  }

  activeElements(): string[] {
    const ids = new Set<string>();
    for (const api of this.walk().leaves) ids.add(api.id);
    for (const t of this.timers.executing) if (t.owner?.id) ids.add(t.owner.id);
    return [...ids];
  }

  engineState(): unknown {
    const execution = this.engine.execution;
    if (!execution) throw new EngineError(EngineErrorCode.INVALID_STATE, 'the engine has no execution');
    const state = {
      name: this.definition.processId,
      state: execution.state,
      stopped: execution.stopped,
      environment: execution.environment.getState(),
      definitions: execution.definitions.map((d) => d.getState()),
    };
    return JSON.parse(JSON.stringify(state)) as unknown;
  }

  // ---------------------------------------------------------------- wait facts

  private computeMeta(leaf: Leaf): WaitMeta {
    const { element, api, type } = leaf;
    const createdAt = this.now();
    const scope = this.scopeFor(api.content);
    const meta: { -readonly [K in keyof WaitMeta]: WaitMeta[K] } = {
      createdAt: createdAt.toISOString(),
      name: element.name === undefined ? null : this.renderName(element.name, scope),
      assignee: null,
      candidateUsers: [],
      candidateGroups: [],
      formKey: element.formKey ?? null,
      dueDate: null,
      followUpDate: null,
      priority: null,
    };
    const task = element.userTask;
    if (task) {
      // Flowable modeler's `$INITIATOR` placeholder means the starter (none for timer/signal starts)
      const assignee =
        task.assignee === undefined
          ? null
          : task.assignee === INITIATOR_PLACEHOLDER
            ? this.initiator
            : this.evaluate(task.assignee, scope, element.id);
      meta.assignee =
        assignee === null || assignee === '' ? null : scalarText(assignee, element.id, 'assignee');
      meta.candidateUsers = this.evaluateList(task.candidateUsers, scope, element.id);
      meta.candidateGroups = this.evaluateList(task.candidateGroups, scope, element.id);
      if (task.formKey !== undefined)
        meta.formKey = textOrNull(this.evaluate(task.formKey, scope, element.id));
      if (task.dueDate !== undefined) meta.dueDate = this.dateOf(task.dueDate, scope, createdAt, element.id);
      if (task.followUpDate !== undefined)
        meta.followUpDate = this.dateOf(task.followUpDate, scope, createdAt, element.id);
      if (task.priority !== undefined) {
        const p = this.evaluate(task.priority, scope, element.id);
        const n = typeof p === 'number' ? p : typeof p === 'string' && p.trim() ? Number(p) : NaN;
        meta.priority = Number.isFinite(n) ? n : null;
      }
    }
    if (type === 'callActivity' && element.callActivity) meta.call = this.callInfo(element, scope);
    if (type === 'externalTask' && element.externalTopic)
      meta.topic = String(this.evaluate(element.externalTopic, scope, element.id) ?? element.externalTopic);
    return meta;
  }

  private callInfo(element: ElementModel, scope: ExpressionScope): CallInfo {
    const call = element.callActivity!;
    const variables: Variables = {};
    // what the call's execution sees, as in Camunda: in a multi-instance call the iteration's element
    // variable and loopCounter (and an enclosing multi-instance sub-process's) over the process's
    const visible = Object.assign(
      {},
      ...scope.filter((layer) => layer !== this.builtins).reverse(),
    ) as Record<string, unknown>;
    if (call.inheritVariables) Object.assign(variables, visible);
    for (const mapping of call.inputs) {
      if (mapping.all) Object.assign(variables, visible);
      else if (mapping.sourceExpression !== undefined && mapping.target) {
        variables[mapping.target] = toJson(this.compiled(mapping.sourceExpression).evaluate(scope));
      } else if (mapping.source !== undefined && mapping.target) {
        variables[mapping.target] = Object.hasOwn(visible, mapping.source)
          ? ((visible[mapping.source] as Variables[string]) ?? null)
          : null;
      }
    }
    const calledElement =
      textOrNull(this.evaluate(call.calledElement, scope, element.id)) ?? call.calledElement;
    const businessKey =
      call.businessKey === undefined ? null : textOrNull(this.evaluate(call.businessKey, scope, element.id));
    return {
      calledElement,
      binding: call.binding,
      version: call.version ?? null,
      variables: jsonClone(variables),
      businessKey,
    };
  }

  private renderName(name: string, scope: ExpressionScope): string {
    if (!hasExpression(name)) return name;
    try {
      const value = this.compiled(name).evaluate(scope);
      return value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    } catch {
      return name; // a name is cosmetic: show it unrendered rather than failing the command
    }
  }

  private evaluate(source: string, scope: ExpressionScope, elementId: string): ExpressionValue {
    if (!hasExpression(source)) return source;
    try {
      return this.compiled(source).evaluate(scope);
    } catch (err) {
      if (err instanceof EngineError)
        throw new EngineError(err.code, `<${elementId}> ${err.message}`, { ...err.details, elementId });
      throw err;
    }
  }

  private evaluateList(items: readonly string[], scope: ExpressionScope, elementId: string): string[] {
    const out: string[] = [];
    for (const item of items) {
      const value = this.evaluate(item, scope, elementId);
      const values = Array.isArray(value)
        ? value
        : typeof value === 'string'
          ? value.split(',')
          : value === null
            ? []
            : [value];
      for (const v of values) {
        if (v === null) continue;
        const text = scalarText(v, elementId, 'candidate').trim();
        if (text && !out.includes(text)) out.push(text);
      }
    }
    return out;
  }

  private dateOf(source: string, scope: ExpressionScope, from: Date, elementId: string): string | null {
    const value = this.evaluate(source, scope, elementId);
    if (value === null || value === '') return null;
    try {
      if (typeof value === 'number') return new Date(value).toISOString();
      if (typeof value === 'string') {
        const text = value.trim();
        if (/^P/i.test(text)) return addDuration(from, parseDuration(text)).toISOString();
        return parseDateTime(text, this.definition.timeZone).toISOString();
      }
    } catch (err) {
      throw new EngineError(
        EngineErrorCode.EXPRESSION_FAILED,
        `<${elementId}> invalid date '${String(value)}': ${(err as Error).message}`,
        { elementId },
      );
    }
    throw new EngineError(
      EngineErrorCode.EXPRESSION_FAILED,
      `<${elementId}> a date must be an ISO 8601 text`,
      { elementId },
    );
  }

  private compiled(source: string): CompiledExpression {
    return this.definition.expressions.get(source) ?? cachedCompile(source);
  }
}

// ------------------------------------------------------------------ helpers

const noop = (): void => undefined;
/** bpmn-engine's default logger creates a `debug` instance per element (a tty check each time). */
function silentLogger(): { debug: () => void; error: () => void; warn: () => void } {
  return { debug: noop, error: noop, warn: noop };
}

function pickErrorCatcher(candidates: ElementModel[], code: string): ElementModel | undefined {
  const errors = candidates.filter((e) => e.eventDefinition?.kind === 'error');
  return errors.find((e) => e.eventDefinition?.code === code) ?? errors.find((e) => !e.eventDefinition?.ref);
}

function sendApi(api: ElementApi, action: string, content: object): void {
  (api as unknown as { sendApiMessage(action: string, content: object): void }).sendApiMessage(
    action,
    content,
  );
}

function isMovable(element: ElementModel): boolean {
  return ['userTask', 'receiveTask', 'task', 'manualTask', 'callActivity', 'subProcess'].includes(
    element.kind,
  );
}

function waitTypeOf(element: ElementModel): WaitType | undefined {
  switch (element.kind) {
    case 'userTask':
      return 'userTask';
    case 'receiveTask':
      return 'receiveTask';
    case 'callActivity':
      return 'callActivity';
    case 'serviceTask':
    case 'sendTask':
      return element.externalTopic ? 'externalTask' : undefined;
    case 'intermediateCatchEvent':
    case 'boundaryEvent':
    case 'startEvent': {
      const kind = element.eventDefinition?.kind;
      return kind === 'message' || kind === 'signal' ? kind : undefined;
    }
    case 'endEvent':
    case 'intermediateThrowEvent':
    case 'task':
    case 'manualTask':
    case 'subProcess':
    case 'exclusiveGateway':
    case 'parallelGateway':
    case 'inclusiveGateway':
    case 'eventBasedGateway':
      return undefined;
  }
}

function multiInstanceLocals(
  element: ElementModel,
  c: MessageContent,
  changedTotal?: number,
): Record<string, unknown> | undefined {
  const mi = element.multiInstance;
  if (!mi || !c.isMultiInstance) return undefined;
  const locals: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const total = changedTotal ?? (typeof c.loopCardinality === 'number' ? c.loopCardinality : undefined);
  if (typeof c.index === 'number') locals['loopCounter'] = c.index;
  if (total !== undefined) locals['nrOfInstances'] = total;
  if (Array.isArray(c.loopOutput)) {
    const completed = c.loopOutput.filter((o) => o !== null && o !== undefined).length;
    locals['nrOfCompletedInstances'] = completed;
    if (total !== undefined)
      locals['nrOfActiveInstances'] = mi.isSequential
        ? completed < total
          ? 1
          : 0
        : Math.max(total - completed, 0);
  }
  if (mi.elementVariable && Object.hasOwn(c, mi.elementVariable))
    locals[mi.elementVariable] = c[mi.elementVariable];
  return locals;
}

function multiInstanceInfo(
  element: ElementModel,
  c: MessageContent,
  changedTotal?: number,
): MultiInstanceInfo | null {
  const mi = element.multiInstance;
  if (!mi || !c.isMultiInstance || typeof c.index !== 'number') return null;
  const value = mi.elementVariable && Object.hasOwn(c, mi.elementVariable) ? c[mi.elementVariable] : null;
  return {
    index: c.index,
    total: changedTotal ?? (typeof c.loopCardinality === 'number' ? c.loopCardinality : 0),
    isSequential: mi.isSequential,
    rootExecutionId: c.parent?.executionId ?? null,
    elementVariable: mi.elementVariable ?? null,
    elementValue: toJson(value as ExpressionValue),
  };
}

/** bpmn-engine's absolute expireAt; else computed from the ISO 8601 value; else registration + delay. */
function dueDateOf(
  owner: TimerOwner,
  ref: RecordedTimer,
  timerType: TimerKind | null,
  value: unknown,
  timeZone: string,
): Date {
  const held = (owner as { [DUE_AT]?: unknown })[DUE_AT];
  if (typeof held === 'string') return new Date(held);
  if (owner.expireAt) {
    const date = new Date(owner.expireAt);
    if (!Number.isNaN(date.getTime())) return date;
  }
  if (timerType && typeof value === 'string') {
    try {
      // a cycle with a start date was handed over as pendingCycle made it
      const handed = timerType === 'timeCycle' ? pendingCycleDue(value, ref.registeredAt) : null;
      return handed ?? firstDueDate(timerType, value, ref.registeredAt, timeZone).dueAt;
    } catch {
      // fall through: the engine accepted the value, use its delay
    }
  }
  return new Date(ref.registeredAt.getTime() + ref.delay);
}

function replaceContents(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const key of Object.keys(target)) delete target[key];
  for (const [key, value] of Object.entries(source))
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface SavedTimerContent {
  id?: unknown;
  executionId?: unknown;
  type?: unknown;
  expireAt?: unknown;
  timeDate?: unknown;
  [DUE_AT]?: unknown;
  [TIME_DATE]?: unknown;
}

/** ... and a held-back timeDate its date as written (bpmn-elements would read the date again). */
const TIME_DATE = 'flowdeskTimeDate';
/** How far ahead of the wall clock a held-back timer is set, so bpmn-elements registers it. */
const HOLD_MS = 60_000;

/**
 * A timer that fell due while the instance rested fires when its job runs (`fire-timer`), as Camunda's
 * job executor fires a due job: not while the saved state resumes for another command, which then
 * applies first (a user completing the task before the job ran wins, and the timer goes with it).
 * bpmn-elements completes a timer whose expireAt has passed as soon as it resumes, so such a timer's
 * expireAt is moved just past the wall clock (it is then registered and waits for its job) and its
 * own due time kept beside it for the job row (dueDateOf).
 */
function holdOverdueTimer(content: SavedTimerContent, now: number): void {
  const due = typeof content[DUE_AT] === 'string' ? content[DUE_AT] : content.expireAt;
  if (typeof due !== 'string') return;
  const dueAt = Date.parse(due);
  if (!(dueAt <= now)) return;
  content[DUE_AT] = due;
  content.expireAt = new Date(Math.max(Date.now(), now) + HOLD_MS).toISOString();
  if (typeof content.timeDate === 'string') {
    if (typeof content[TIME_DATE] !== 'string') content[TIME_DATE] = content.timeDate;
    content.timeDate = content.expireAt;
  }
}

/** The scope an activity was entered in, as the sequence flow that brought it there names it. */
function inboundScope(c: MessageContent): MessageContent['parent'] | undefined {
  const inbound = (c as { inbound?: ReadonlyArray<{ parent?: MessageContent['parent'] }> }).inbound;
  const parent = Array.isArray(inbound) ? inbound[0]?.parent : undefined;
  return parent?.executionId ? parent : undefined;
}

function timerIdOf(ref: RecordedTimer): string {
  return ref.owner?.executionId ?? '';
}

function scalarText(value: ExpressionValue, elementId: string, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new EngineError(
    EngineErrorCode.EXPRESSION_FAILED,
    `<${elementId}> ${what} must be a text, not a ${Array.isArray(value) ? 'list' : 'map'}`,
    { elementId },
  );
}

function textOrNull(value: ExpressionValue): string | null {
  if (value === null || value === '') return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function toJson(value: ExpressionValue | undefined): JsonValue {
  if (value === undefined) return null;
  return jsonClone(value) as JsonValue;
}

/** The scopes a message runs in, innermost first: its parent, then the parent's path. */
/** Whether a parent's execution id is `run` or one of its iterations (`run_0`, ...; `run_1` is not `run_10`). */
function runsIn(executionId: string | undefined, run: string): boolean {
  return executionId === run || (executionId?.startsWith(`${run}_`) ?? false);
}

function parentChain(
  c: MessageContent,
): ReadonlyArray<{ readonly id?: string; readonly executionId?: string }> {
  return c.parent ? [c.parent, ...(c.parent.path ?? [])] : [];
}
