import { EngineError, EngineErrorCode } from '../errors';
import { isPlainObject } from '../expression';
import { InstanceSession, type SignerChange } from './session';
import type { CompiledDefinition } from '../definition/compile';
import type {
  Command,
  InstanceState,
  ResumeInput,
  RuntimeOptions,
  Snapshot,
  StartInput,
  Variables,
  WaitMeta,
} from './types';
import { jsonClone, mergeVariables, toVariables } from './variables';

const FORMAT = 'flowdesk-engine/1' as const;

/**
 * Starts an instance and runs it to its first waits. Nothing is saved here: persist
 * `snapshot.state`, upsert tasks from `snapshot.waits`, schedule `snapshot.timers`.
 */
export async function startInstance(input: StartInput, options: RuntimeOptions = {}): Promise<Snapshot> {
  return (await startStep(input, options)).snapshot;
}

/** One command's result and, while the instance runs, its engine to keep for the next command. */
export interface Step {
  readonly snapshot: Snapshot;
  readonly warm: WarmInstance | null;
}

/** `startInstance`, keeping the engine (see WarmInstance). */
export async function startStep(input: StartInput, options: RuntimeOptions = {}): Promise<Step> {
  const now = options.now ?? (() => new Date());
  const { variables, initiator, startEventId } = startFacts(input);
  const businessKey = input.businessKey ?? null;
  const startedAt = now().toISOString();
  const session = new InstanceSession(
    input.definition,
    {
      variables,
      businessKey,
      initiator,
      startEventId,
      waitMeta: {},
      takenFlows: [],
      completedElements: [],
    },
    now,
  );
  await session.start();
  return stepOf(
    session,
    { businessKey, initiator, startEventId, startedAt, endedAt: null, status: 'running' },
    now,
  );
}

/** The facts a step's snapshot carries over from the state it started from. */
type Carried = Pick<
  InstanceState,
  'businessKey' | 'initiator' | 'startEventId' | 'startedAt' | 'endedAt' | 'status'
>;

function stepOf(session: InstanceSession, previous: Carried, now: () => Date): Step {
  const snapshot = snapshotOf(session, previous, now);
  const warm =
    snapshot.status === 'running' && session.reusable
      ? new WarmInstance(session, {
          businessKey: snapshot.state.businessKey,
          initiator: snapshot.state.initiator,
          startEventId: snapshot.state.startEventId,
          startedAt: snapshot.state.startedAt,
          endedAt: snapshot.state.endedAt,
          status: snapshot.state.status,
          miTotals: snapshot.state.miTotals ?? {},
        })
      : null;
  return { snapshot, warm };
}

/**
 * An instance's engine kept in memory after a step, so that its next command skips the recovery from
 * the saved state (the largest part of a command's engine time). It stands for exactly the state that
 * step returned: whoever keeps it must know that state is still the saved one (the durable layer keys
 * it by the row version the step wrote, and keeps it only once that step committed). It runs one
 * command: `warmStep` spends it, and a failed command leaves nothing to keep.
 */
export class WarmInstance {
  private spent = false;

  /** @internal made by startStep / resumeStep / warmStep */
  constructor(
    private readonly session: InstanceSession,
    private readonly carried: Carried & { miTotals: Readonly<Record<string, number>> },
  ) {}

  get definition(): CompiledDefinition {
    return this.session.definition;
  }

  /**
   * Whether `command` takes the same path here as on an engine recovered from the saved state: not a
   * countersign change (it edits the collection before recovery). Overdue timers wait for their jobs
   * on both (a recovery holds them back, see InstanceSession.recover).
   */
  fits(command: Command): boolean {
    if (this.spent) return false;
    return command?.type !== 'add-signer' && command?.type !== 'remove-signer';
  }

  /** @internal */
  take(now: () => Date): { session: InstanceSession; carried: Carried } {
    if (this.spent) throw new EngineError(EngineErrorCode.INVALID_STATE, 'this kept engine ran already');
    this.spent = true;
    this.session.reuse(now, { miTotals: this.carried.miTotals });
    return { session: this.session, carried: this.carried };
  }
}

/** `resumeAndApply` on a kept engine instead of a recovered one; the caller has checked `fits`. */
export async function warmStep(
  warm: WarmInstance,
  command: Command,
  options: RuntimeOptions = {},
): Promise<Step> {
  const now = options.now ?? (() => new Date());
  const { session, carried } = warm.take(now);
  await apply(session, command);
  return stepOf(session, carried, now);
}

/** Which start event, the start variables and the initiator (Flowable's order: explicit variables win). */
function startFacts(input: StartInput): {
  variables: Variables;
  initiator: string | null;
  startEventId: string | null;
} {
  const { definition } = input;
  const process = definition.model.process;
  const requested = input.startEventId ?? null;
  const startId = requested ?? process.startEventId;
  const start = startId ? definition.elementsById.get(startId) : undefined;
  if (!start || start.kind !== 'startEvent' || start.parentId !== process.id) {
    throw new EngineError(
      EngineErrorCode.INVALID_COMMAND,
      requested
        ? `<${requested}> is not a start event of the process`
        : 'the process has no none start event: it starts by message, signal or timer',
      requested ? { elementId: requested } : {},
    );
  }
  // Flowable sets the valued data objects first; the start variables override them
  const variables: Variables = { ...process.dataObjects, ...toVariables(input.variables ?? {}) };
  const initiator =
    input.initiator === undefined || input.initiator === null ? null : String(input.initiator);
  // Flowable's order: the initiator variable first, then the explicit start variables (they win)
  if (start.initiator && initiator !== null && !Object.hasOwn(variables, start.initiator)) {
    mergeVariables(variables, { [start.initiator]: initiator });
  }
  // the start event's own context only matters when the process has several (see compile)
  const startEventId = definition.startContexts.size ? start.id : null;
  return { variables, initiator, startEventId };
}

/**
 * Recovers an instance from its saved state, applies one command, runs until idle and reports.
 * Throws `EngineError` when the command does not apply (unknown execution, ...) or the process
 * fails; the saved state is then unchanged and must be kept.
 */
export async function resumeAndApply(
  input: ResumeInput,
  command: Command,
  options: RuntimeOptions = {},
): Promise<Snapshot> {
  return (await resumeStep(input, command, options)).snapshot;
}

/** `resumeAndApply`, keeping the engine (see WarmInstance). */
export async function resumeStep(
  input: ResumeInput,
  command: Command,
  options: RuntimeOptions = {},
): Promise<Step> {
  const now = options.now ?? (() => new Date());
  const { definition } = input;
  const state = readState(input.state, definition.processId);
  if (state.status !== 'running') {
    throw new EngineError(EngineErrorCode.INSTANCE_NOT_RUNNING, `the instance has ended (${state.status})`);
  }
  const variables = toVariables(state.variables, 'saved variables');
  // countersign changes the collection before the engine is rebuilt: the loop reads it on recovery
  const signerChange =
    command?.type === 'add-signer' || command?.type === 'remove-signer'
      ? changeSigners(definition, variables, command)
      : undefined;
  const session = new InstanceSession(
    definition,
    {
      variables,
      businessKey: state.businessKey,
      initiator: state.initiator ?? null,
      startEventId: state.startEventId ?? null,
      waitMeta: { ...(state.waitMeta as Record<string, WaitMeta>) },
      takenFlows: state.takenFlows,
      completedElements: state.completedElements,
      miTotals: state.miTotals,
      scopeTimers: state.scopeTimers ?? [],
    },
    now,
  );
  await session.recover(state.engine);
  if (signerChange) await session.changeSigner(signerChange);
  else await apply(session, command);
  return stepOf(session, state, now);
}

/**
 * Test support: one engine kept across commands the way the durable layer keeps a WarmInstance (never
 * saved and recovered), so tests can check that a kept engine takes the same path as recovery.
 */
export class LiveInstance {
  private constructor(
    private warm: WarmInstance | null,
    private readonly options: RuntimeOptions,
  ) {}

  static async start(
    input: StartInput,
    options: RuntimeOptions = {},
  ): Promise<{ live: LiveInstance; snapshot: Snapshot }> {
    const { snapshot, warm } = await startStep(input, options);
    return { live: new LiveInstance(warm, options), snapshot };
  }

  async apply(command: Command): Promise<Snapshot> {
    if (!this.warm) throw new Error('the instance has ended: no engine was kept');
    const { snapshot, warm } = await warmStep(this.warm, command, this.options);
    this.warm = warm;
    return snapshot;
  }
}

async function apply(session: InstanceSession, command: Command): Promise<void> {
  if (!isPlainObject(command) || typeof command.type !== 'string') {
    throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'a command needs a type');
  }
  switch (command.type) {
    case 'complete-task': {
      const leaf = session.findWait(requireText(command.executionId, 'executionId'));
      if (!leaf) throw unknownExecution(command.executionId);
      if (leaf.type === 'callActivity') {
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          `<${leaf.element.id}> is a call activity: send child-completed`,
          { elementId: leaf.element.id },
        );
      }
      if (leaf.type === 'message' || leaf.type === 'signal') {
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          `<${leaf.element.id}> waits for a ${leaf.type}, not a task completion`,
          { elementId: leaf.element.id },
        );
      }
      session.setVariables(toVariables(command.variables));
      await session.signal(leaf, { completed: true });
      return;
    }
    case 'child-completed': {
      const leaf = session.findWait(requireText(command.executionId, 'executionId'));
      if (!leaf) throw unknownExecution(command.executionId);
      if (leaf.type !== 'callActivity') {
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          `<${leaf.element.id}> is not a call activity`,
          { elementId: leaf.element.id },
        );
      }
      session.setVariables(session.outputsOf(leaf, toVariables(command.variables, 'child variables')));
      await session.signal(leaf, { childCompleted: true });
      return;
    }
    case 'bpmn-error': {
      const leaf = session.findWait(requireText(command.executionId, 'executionId'));
      if (!leaf) throw unknownExecution(command.executionId);
      // an external task's worker, or a called child's uncaught error end event (propagated to the caller)
      if (leaf.type !== 'externalTask' && leaf.type !== 'callActivity') {
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          `<${leaf.element.id}> is not an external task or a call activity`,
          { elementId: leaf.element.id },
        );
      }
      const message = command.errorMessage === undefined ? null : String(command.errorMessage);
      session.setVariables(toVariables(command.variables));
      await session.throwBpmnError(leaf, requireText(command.errorCode, 'errorCode'), message);
      return;
    }
    case 'fire-timer':
      await session.fireTimer(requireText(command.timerId, 'timerId'));
      return;
    case 'resume':
      return;
    case 'message': {
      const name = requireText(command.name, 'name');
      if (command.all !== undefined && typeof command.all !== 'boolean')
        throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'all is true or false', { field: 'all' });
      if (command.all && command.executionId !== undefined)
        throw new EngineError(
          EngineErrorCode.INVALID_COMMAND,
          'a message goes to one execution (executionId) or to all that wait for it (all), not both',
          { field: 'all' },
        );
      const deliveries = messageDeliveries(session, name, command.executionId);
      if (deliveries.length === 0)
        throw new EngineError(
          EngineErrorCode.NO_MATCHING_WAIT,
          command.executionId === undefined
            ? `nothing in the instance waits for message '${name}'`
            : `execution '${command.executionId}' does not wait for message '${name}' (nor does an event sub-process of its scope)`,
          { field: command.executionId === undefined ? 'name' : 'executionId' },
        );
      // Camunda's correlate() goes to one execution: several waits (a boundary event in each
      // iteration of a multi-instance task, a catch beside an event sub-process, an event sub-process
      // in several iterations) are ambiguous unless the command names the execution or asks for all
      // (correlateAll)
      if (deliveries.length > 1 && !command.all) {
        const elementIds = [...new Set(deliveries.map((d) => d.elementId))];
        const executionIds = deliveries.map((d) => d.executionId);
        throw new EngineError(
          EngineErrorCode.AMBIGUOUS_CORRELATION,
          `message '${name}' is ambiguous: ${deliveries.length} executions of the instance wait for it (${deliveries.map((d) => `${d.executionId} at <${d.elementId}>`).join(', ')}); a message goes to one: name it with executionId, or send it to all with all: true`,
          { executions: deliveries.length, elementIds, executionIds },
        );
      }
      session.setVariables(toVariables(command.variables));
      for (const delivery of deliveries) await delivery.deliver();
      return;
    }
    case 'signal': {
      const name = requireText(command.name, 'name');
      const targets = session.findEventWaits('signal', name);
      // a signal reaches the event sub-process of every running iteration (each is a scope)
      const starts = session.findEventSubProcessStarts('signal', name).flatMap((start) =>
        session
          .eventSubProcessScopes(start)
          .filter((scope) => !scope.completed)
          .map((scope) => ({ start, scope })),
      );
      // a broadcast: an instance nothing in which waits for it is not reached, and keeps its variables
      if (targets.length === 0 && starts.length === 0) return;
      session.setVariables(toVariables(command.variables));
      for (const target of targets) await session.signal(target, { signal: name });
      for (const { start, scope } of starts)
        if (!scope.completed)
          // an interrupting one triggered before it may have ended this scope
          await session.triggerEventSubProcess(start, { signal: name }, undefined, undefined, scope);
      return;
    }
    case 'cancel':
      await session.cancel();
      return;
    case 'add-signer':
    case 'remove-signer':
      return; // applied around the recovery (see resumeAndApply)
    case 'move': {
      if (
        !Array.isArray(command.fromElementIds) ||
        !command.fromElementIds.every((id) => typeof id === 'string')
      )
        throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'the command needs fromElementIds');
      if (command.variables !== undefined) session.setVariables(toVariables(command.variables));
      await session.move(
        command.fromElementIds,
        requireText(command.toElementId, 'toElementId'),
        Array.isArray(command.resetJoins) ? command.resetJoins : [],
      );
      return;
    }
    default:
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        `unknown command type '${String((command as { type: unknown }).type)}'`,
      );
  }
}

/** Edits the multi-instance collection variable for add-signer / remove-signer. */
function changeSigners(
  definition: ResumeInput['definition'],
  variables: Variables,
  command: Extract<Command, { type: 'add-signer' | 'remove-signer' }>,
): SignerChange {
  const elementId = requireText(command.elementId, 'elementId');
  const element = definition.elementsById.get(elementId);
  const mi = element?.multiInstance;
  if (!element || element.kind !== 'userTask' || !mi) {
    throw new EngineError(
      EngineErrorCode.INVALID_COMMAND,
      `<${elementId}> is not a multi-instance user task`,
      {
        elementId,
      },
    );
  }
  const name =
    mi.collectionVariable ?? /^\$\{\s*([A-Za-z_][\w]*)\s*\}$/.exec(mi.collection ?? '')?.[1] ?? undefined;
  const current = name === undefined ? undefined : variables[name];
  if (name === undefined || !Array.isArray(current)) {
    throw new EngineError(
      EngineErrorCode.INVALID_COMMAND,
      `<${elementId}> takes its signers from no collection variable: signers cannot be changed`,
      { elementId },
    );
  }
  const signer = command.signer;
  if (signer === undefined || (signer !== null && typeof signer === 'object'))
    throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'a signer is a text or a number', { elementId });
  const position = current.findIndex((item) => item === signer);
  const shape = {
    isSequential: mi.isSequential,
    collectionLength: current.length,
    elementVariable: mi.elementVariable ?? null,
  };
  if (command.type === 'add-signer') {
    if (position >= 0)
      throw new EngineError(
        EngineErrorCode.INVALID_COMMAND,
        `'${String(signer)}' signs <${elementId}> already`,
        {
          elementId,
        },
      );
    variables[name] = [...current, signer];
    return { type: 'add', elementId, signer, index: current.length, ...shape };
  }
  if (position < 0)
    throw new EngineError(
      EngineErrorCode.INVALID_COMMAND,
      `'${String(signer)}' does not sign <${elementId}>`,
      {
        elementId,
      },
    );
  variables[name] = current.filter((_, i) => i !== position);
  return { type: 'remove', elementId, signer, index: position, ...shape };
}

function snapshotOf(session: InstanceSession, previous: Carried, now: () => Date): Snapshot {
  const engineState = session.engineState();
  const ended = session.outcome === 'completed' || session.outcome === 'cancelled';
  if (!ended) {
    session.dropLeftTimers();
    session.syncScopeTimers();
  }
  const waits = ended ? [] : session.waits();
  const timers = ended ? [] : session.pendingTimers();
  const activeElements = ended ? [] : session.activeElements();
  let status = session.outcome ?? previous.status;
  if (!ended && waits.length === 0 && timers.length === 0 && activeElements.length === 0)
    status = 'completed';
  if (status !== 'running') session.closeOpenExecutions();
  else session.closeFinishedExecutions();
  const variables = jsonClone(session.variables);
  const state: InstanceState = {
    format: FORMAT,
    processId: session.definition.processId,
    fingerprint: session.definition.fingerprint,
    businessKey: previous.businessKey,
    initiator: previous.initiator ?? null,
    ...(previous.startEventId ? { startEventId: previous.startEventId } : {}),
    status,
    startedAt: previous.startedAt,
    endedAt: status === 'running' ? null : (previous.endedAt ?? now().toISOString()),
    variables,
    engine: engineState,
    takenFlows: [...session.takenFlows],
    completedElements: [...session.completedElements],
    waitMeta: status === 'running' ? { ...session.waitMeta } : {},
    miTotals: status === 'running' ? liveTotals(session.miTotals, activeElements) : {},
    ...(status === 'running' && session.scopeTimers.length ? { scopeTimers: session.scopeTimers } : {}),
  };
  return {
    state,
    status,
    processId: state.processId,
    businessKey: state.businessKey,
    waits,
    timers,
    variables: jsonClone(variables),
    history: session.history.slice(),
    flowsTaken: session.flowsTaken.slice(),
    takenFlows: state.takenFlows,
    activeElements: status === 'running' ? activeElements : [],
    completedElements: state.completedElements,
    joinArrivals: status === 'running' ? session.joinArrivals() : [],
  };
}

/** Countersign totals only matter while their node runs (a re-entry starts from the collection again). */
function liveTotals(totals: Record<string, number>, active: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(totals).filter(([id]) => active.includes(id)));
}

function readState(input: unknown, processId: string): InstanceState {
  if (!isPlainObject(input)) throw invalidState('the saved state is not an object');
  const state = input as unknown as InstanceState;
  if (state.format !== FORMAT) throw invalidState(`unknown state format '${String(state.format)}'`);
  if (state.processId !== processId) {
    throw invalidState(`the state belongs to process '${String(state.processId)}', not '${processId}'`);
  }
  if (!['running', 'completed', 'cancelled'].includes(state.status)) throw invalidState('unknown status');
  if (!isPlainObject(state.engine)) throw invalidState('the engine state is missing');
  if (
    !Array.isArray(state.takenFlows) ||
    !Array.isArray(state.completedElements) ||
    !isPlainObject(state.waitMeta)
  ) {
    throw invalidState('the state is incomplete');
  }
  if (!isPlainObject(state.variables)) throw invalidState('the saved variables are not an object');
  return state;
}

function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || !value)
    throw new EngineError(EngineErrorCode.INVALID_COMMAND, `the command needs ${what}`);
  return value;
}

/** One execution that takes a message: a catch, boundary event or receive task, or an event sub-process start in one scope run. */
interface MessageDelivery {
  readonly executionId: string;
  readonly elementId: string;
  deliver(): Promise<void>;
}

/**
 * Who takes message `name`: every waiting execution, or the one `executionId` names. An event
 * sub-process waits in each running scope (the process, a sub-process, each iteration of a
 * multi-instance one); it is named by that scope's execution or by any execution running inside it
 * (the instance's history lists those), as Camunda's subscription sits on the scope execution.
 */
function messageDeliveries(session: InstanceSession, name: string, executionId?: unknown): MessageDelivery[] {
  if (executionId !== undefined && (typeof executionId !== 'string' || executionId === ''))
    throw new EngineError(EngineErrorCode.INVALID_COMMAND, 'executionId is a text', { field: 'executionId' });
  const waits: MessageDelivery[] = session
    .findEventWaits('message', name)
    .filter((t) => executionId === undefined || t.api.executionId === executionId)
    .map((t) => ({
      executionId: t.api.executionId,
      elementId: t.element.id,
      deliver: () => session.signal(t, { message: name }),
    }));
  if (executionId !== undefined && waits.length > 0) return waits;
  const starts: MessageDelivery[] = [];
  for (const start of session.findEventSubProcessStarts('message', name)) {
    const scopes = session.eventSubProcessScopes(start).filter((scope) => !scope.completed);
    const addressed =
      executionId === undefined
        ? scopes
        : scopes.filter((scope) => session.runsInside(executionId, scope, start));
    for (const scope of addressed)
      starts.push({
        executionId: scope.executionId ?? start.parentId,
        elementId: start.id,
        deliver: () => session.triggerEventSubProcess(start, { message: name }, undefined, undefined, scope),
      });
  }
  return [...waits, ...starts];
}

function unknownExecution(executionId: string): EngineError {
  return new EngineError(
    EngineErrorCode.UNKNOWN_EXECUTION,
    `execution '${executionId}' is not waiting (unknown or already finished)`,
    {
      executionId,
    },
  );
}

function invalidState(message: string): EngineError {
  return new EngineError(EngineErrorCode.INVALID_STATE, message);
}

export type { Variables };
