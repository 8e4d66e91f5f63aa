import type { CompiledDefinition } from '../definition/compile';
import type { ElementKind } from '../definition/model';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type Variables = Record<string, JsonValue>;

export type InstanceStatus = 'running' | 'completed' | 'cancelled';

/** Per-wait facts fixed when the wait first appears (Camunda evaluates assignment once). */
export interface WaitMeta {
  readonly createdAt: string;
  readonly name: string | null;
  readonly assignee: string | null;
  readonly candidateUsers: readonly string[];
  readonly candidateGroups: readonly string[];
  readonly formKey: string | null;
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  readonly priority: number | null;
  readonly call?: CallInfo;
  readonly topic?: string;
}

/**
 * Everything needed to continue an instance: save it as one JSON document (e.g. a jsonb column)
 * and hand it back to `resumeAndApply`. It never contains the BPMN source.
 */
export interface InstanceState {
  readonly format: 'flowdesk-engine/1';
  readonly processId: string;
  /** sha-256 of the normalised definition the instance was started on (informational). */
  readonly fingerprint: string;
  readonly businessKey: string | null;
  /** The starter's user id (null: started by a timer, signal or message); absent in older states. */
  readonly initiator?: string | null;
  /** The start event it began at, when the process has several (message / signal / timer starts). */
  readonly startEventId?: string | null;
  readonly status: InstanceStatus;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly variables: Variables;
  /** bpmn-engine's own state (definitions without their embedded source). */
  readonly engine: unknown;
  /** Ids of sequence flows taken at least once (for the diagram). */
  readonly takenFlows: readonly string[];
  /** Ids of elements completed at least once (for the diagram). */
  readonly completedElements: readonly string[];
  readonly waitMeta: Readonly<Record<string, WaitMeta>>;
  /** nrOfInstances of running multi-instance nodes whose signers were changed (countersign). */
  readonly miTotals?: Readonly<Record<string, number>>;
  /** Timers of timer-started event sub-processes whose scope runs (absent in older states). */
  readonly scopeTimers?: readonly ScopeTimer[];
}

/**
 * The timer of a timer event sub-process, armed when its scope (the process or an embedded
 * sub-process) is entered and dropped when the scope ends. bpmn-engine never sees it: the host
 * reports it with the other pending timers and runs the event sub-process on `fire-timer`.
 */
export interface ScopeTimer {
  /** Changes with every firing, so each due time is its own job. */
  readonly timerId: string;
  readonly startEventId: string;
  /** The scope run it belongs to (the process id for the process itself). */
  readonly scopeExecutionId: string;
  readonly timerType: 'timeDuration' | 'timeDate' | 'timeCycle';
  /** The value as evaluated when the scope was entered. */
  readonly value: string;
  /** When the scope was entered (durations and cycles count from it). */
  readonly armedAt: string;
  readonly fired: number;
  /** Next due time; null once used up (a one-shot timer fired, an interrupting one fired). */
  readonly dueAt: string | null;
}

export type WaitType = 'userTask' | 'receiveTask' | 'externalTask' | 'callActivity' | 'message' | 'signal';

export interface MultiInstanceInfo {
  /** loopCounter: 0-based index of this instance. */
  readonly index: number;
  /** nrOfInstances. */
  readonly total: number;
  readonly isSequential: boolean;
  /** Execution id of the multi-instance body (shared by all its instances). */
  readonly rootExecutionId: string | null;
  readonly elementVariable: string | null;
  readonly elementValue: JsonValue;
}

export interface CallInfo {
  /** Process key to start. */
  readonly calledElement: string;
  readonly binding: string;
  readonly version: string | null;
  /** Variables for the child, from the in mappings. */
  readonly variables: Variables;
  readonly businessKey: string | null;
}

/** Something the instance waits for: a task to upsert, a child to start, a message to receive. */
export interface Wait {
  readonly executionId: string;
  readonly elementId: string;
  readonly elementKind: ElementKind;
  readonly type: WaitType;
  readonly name: string | null;
  /** Id of the (sub-)process that contains the element. */
  readonly scopeId: string;
  readonly createdAt: string;
  readonly assignee: string | null;
  readonly candidateUsers: readonly string[];
  readonly candidateGroups: readonly string[];
  readonly formKey: string | null;
  readonly dueDate: string | null;
  readonly followUpDate: string | null;
  readonly priority: number | null;
  readonly multiInstance: MultiInstanceInfo | null;
  /** Only for `callActivity` waits: start a child instance with this, then send `child-completed`. */
  readonly callActivity: CallInfo | null;
  /** Only for `message` / `signal` / `receiveTask` waits. */
  readonly eventName: string | null;
  /** Only for `externalTask` waits. */
  readonly topic: string | null;
  /** For events attached to an activity (boundary events). */
  readonly attachedTo: string | null;
}

export interface PendingTimer {
  /** Stable id to put in the job row and pass back with `fire-timer`. */
  readonly timerId: string;
  readonly elementId: string;
  /** Execution id of the timer event (boundary / catch / start event). */
  readonly executionId: string;
  readonly dueAt: string;
  readonly timerType: 'timeDuration' | 'timeDate' | 'timeCycle' | null;
  readonly value: string | null;
  /** Remaining repetitions of a cycle (-1 unbounded), null for one-shot timers. */
  readonly repeat: number | null;
  readonly attachedTo: string | null;
  readonly interrupting: boolean | null;
}

export interface HistoryEvent {
  readonly elementId: string;
  readonly elementType: string;
  readonly executionId: string;
  readonly event: 'enter' | 'leave';
  /** For `leave`: completed normally, or cancelled (interrupted, discarded by a completion condition, ...). */
  readonly outcome?: 'completed' | 'cancelled';
  readonly at: string;
}

/** A parallel/inclusive join that got some of its inbound flows and waits for the rest. */
export interface JoinArrival {
  readonly elementId: string;
  /** Inbound flow ids that arrived. */
  readonly flowIds: readonly string[];
}

export interface Snapshot {
  /** Save this. */
  readonly state: InstanceState;
  readonly status: InstanceStatus;
  readonly processId: string;
  readonly businessKey: string | null;
  readonly waits: readonly Wait[];
  readonly timers: readonly PendingTimer[];
  readonly variables: Variables;
  /** Element enter/leave events produced by this call only (append them to the history table). */
  readonly history: readonly HistoryEvent[];
  /** Flows taken by this call only. */
  readonly flowsTaken: readonly string[];
  /** All flows taken since the start (for the diagram). */
  readonly takenFlows: readonly string[];
  /** Element ids that currently hold a token (waits, timers, running sub-processes). */
  readonly activeElements: readonly string[];
  readonly completedElements: readonly string[];
  /** Joins holding partial arrivals (the return planner needs them). */
  readonly joinArrivals: readonly JoinArrival[];
}

export type Command =
  | {
      readonly type: 'complete-task';
      readonly executionId: string;
      readonly variables?: Record<string, unknown>;
    }
  | { readonly type: 'fire-timer'; readonly timerId: string }
  /**
   * An external task's worker reports a BPMN error (a business outcome, no retry), or a called child
   * ended at an error end event it does not catch (`executionId` of the call activity): the innermost
   * error boundary event / error event sub-process for `errorCode` takes over; none → refused.
   */
  | {
      readonly type: 'bpmn-error';
      readonly executionId: string;
      readonly errorCode: string;
      readonly errorMessage?: string;
      readonly variables?: Record<string, unknown>;
    }
  /**
   * A message to the one execution that waits for it (several → AMBIGUOUS_CORRELATION), to
   * `executionId` (a waiting catch, boundary event or receive task, or an execution in the scope of a
   * waiting event sub-process), or with `all` to every execution that waits for it (correlateAll).
   */
  | {
      readonly type: 'message';
      readonly name: string;
      readonly executionId?: string;
      readonly all?: boolean;
      readonly variables?: Record<string, unknown>;
    }
  | { readonly type: 'signal'; readonly name: string; readonly variables?: Record<string, unknown> }
  | {
      readonly type: 'child-completed';
      readonly executionId: string;
      readonly variables?: Record<string, unknown>;
    }
  | { readonly type: 'cancel' }
  /**
   * Return / jump / revoke: the running elements `fromElementIds` leave (cancelled, their outgoing
   * flows untouched) and `toElementId` starts in the same scope. Check legality with `planMove` first.
   */
  | {
      readonly type: 'move';
      readonly fromElementIds: readonly string[];
      readonly toElementId: string;
      /** Join arrivals to forget (the planner's `resetJoins`): those branches run again. */
      readonly resetJoins?: readonly JoinArrival[];
      /** Set before the move (complete + jump: the finished task's data). */
      readonly variables?: Record<string, unknown>;
    }
  /**
   * Countersign (加签): append `signer` to the collection of the running multi-instance `elementId`;
   * nrOfInstances grows by one. Parallel: the new iteration starts once the running ones are done
   * (unless the completion condition ends the node first). Sequential: it runs last.
   */
  | { readonly type: 'add-signer'; readonly elementId: string; readonly signer: JsonValue }
  /**
   * Countersign (减签): remove `signer` from the collection; nrOfInstances shrinks by one. A running
   * parallel iteration of that signer is discarded (the node may then complete without them); a
   * sequential signer can only be removed before their turn.
   */
  | { readonly type: 'remove-signer'; readonly elementId: string; readonly signer: JsonValue }
  /** Recover and run until idle (an overdue timer waits for its own `fire-timer`, as after any recovery). */
  | { readonly type: 'resume' };

export interface StartInput {
  readonly definition: CompiledDefinition;
  readonly variables?: Record<string, unknown>;
  readonly businessKey?: string | null;
  /** User id of the starter; stored in the start event's `initiator` variable when it has one. */
  readonly initiator?: string | null;
  /**
   * The top-level start event to begin at (a message / signal / timer start event once its trigger
   * happened); default: the none start event. Only that start event runs.
   */
  readonly startEventId?: string | null;
}

export interface ResumeInput {
  readonly definition: CompiledDefinition;
  readonly state: InstanceState;
}

export interface RuntimeOptions {
  /** Clock for history, createdAt and relative due dates (default: the system clock). */
  readonly now?: () => Date;
}
