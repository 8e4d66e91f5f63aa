import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { type Actor, ErrorCode, WorkflowEventTopic } from '@app/contracts';
import {
  enabledStaffIdsByRef,
  type InstanceStatusValue,
  type ProcessDefinitionEntity,
  ProcessInstanceEntity,
  STAFF_ID,
  type TaskEntity,
} from '@app/database';
import { WorkflowEnv } from '../config/workflow.env';
import {
  type Command as EngineCommand,
  type CompiledDefinition,
  type InstanceState,
  resumeAndApply,
  resumeStep,
  type Snapshot,
  startStep,
  type Wait,
  type WarmInstance,
  warmStep,
  catchersOf,
  EngineError,
  errorCatcherOf,
  EngineErrorCode,
  startEventFor,
  thrownSignals,
  uncaughtErrors,
  waitsFor,
} from '../engine';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { candidateKeysOfTask } from '../common/candidate-keys';
import { engineStep } from '@app/observability';
import {
  assertRunning,
  fromEngineError,
  WorkflowException,
  WorkflowReason,
} from '../common/workflow.exception';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { SlaLadderService } from '../sla/sla-ladder.service';
import { ExternalTaskSyncService } from '../external-tasks/external-task-sync.service';
import {
  ExecutionRepository,
  type HistoryLeave,
  type HistoryRow,
  type NewInstance,
  type NewJob,
  type TaskCommandRead,
} from './execution.repository';
import { pipelinedTransaction, sendHeld } from './statement-pipeline';
import { HotEngines } from './hot-engines';
import { JobWakeups } from './job-wakeups';
import { EventsRepository, type NewOutboxEvent } from '../events/events.repository';
import { periodOf } from './serial-number';
import { executionFirings, type ListenerFiring, publishesListeners, taskFirings } from './listener-events';

/** What one step changed, for replies and events. */
export interface StepResult {
  instance: ProcessInstanceEntity;
  createdTasks: TaskEntity[];
  cancelledTasks: TaskEntity[];
}

export interface StartParams {
  definition: ProcessDefinitionEntity;
  actor: Pick<Actor, 'id' | 'departmentId'>;
  variables?: Record<string, unknown>;
  businessKey?: string | null;
  title?: string | null;
  parent?: { instance: ProcessInstanceEntity; executionId: string; callElementId?: string };
  relaunchedFromId?: string | null;
  /** A serial number the caller chose (seed 002 `flowRunningNumber`); generated when absent. */
  serialNo?: string;
  /** A message start event whose message arrived (default: the none start event). */
  startEventId?: string | null;
  /** The engine's starter (`initiator` variable, `$INITIATOR`) when not the actor: null for a timer start. */
  initiator?: string | null;
}

/** Who caused a step: their id lands on history rows of the executions the step finished. */
export interface StepContext {
  actorId: string | null;
  /** Task rows the command finished itself (not to be reported as cancelled). */
  finishedTaskIds?: string[];
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

interface OutboxBatch {
  events: NewOutboxEvent[];
}

/** What a definition can hold, so a step skips reads of rows it cannot have. */
interface DefinitionShape {
  timers: boolean;
  externalWork: boolean;
  callActivities: boolean;
}

const shapes = new WeakMap<CompiledDefinition, DefinitionShape>();

function shapeOf(compiled: CompiledDefinition): DefinitionShape {
  let shape = shapes.get(compiled);
  if (!shape) {
    const elements = compiled.model.process.elements;
    shape = {
      timers: elements.some((e) => e.eventDefinition?.kind === 'timer'),
      externalWork: elements.some((e) => e.externalTopic !== undefined),
      callActivities: elements.some((e) => e.kind === 'callActivity'),
    };
    shapes.set(compiled, shape);
  }
  return shape;
}

/** Who starts a signal-started instance (no person: `$INITIATOR` and `initiator` stay empty). */
export const SIGNAL_STARTER = 'system:signal';

/**
 * Thrown inside a command's transaction when the instance must end as failed (an engine step past its
 * budget): the transaction rolls back, then `record` runs in a transaction of its own (instance failed,
 * incident raised) and the caller gets `answer`. Nothing of the failed step is kept.
 */
export class InstanceFailure extends Error {
  constructor(
    readonly record: (manager: EntityManager) => Promise<void>,
    /** The caller's answer, built after `record` (it names the failed instance). */
    readonly answer: () => WorkflowException,
  ) {
    super('instance failed');
  }
}

/** Instances in one chain of call activities (root included); a deeper call is refused. */
const MAX_CALL_DEPTH = 32;

/** A command refused for what its call activities would start (4000 naming the call activity; rolled back). */
function refusedCall(elementId: string | undefined, reason: string): WorkflowException {
  return new WorkflowException(ErrorCode.WrongCall, WorkflowReason.ProcessFailed, reason, [
    { field: elementId ? `xml#${elementId}` : 'xml', reason },
  ]);
}

/** What the caller of a command that failed its instance hears (the model is at fault, not the call). */
function failedAnswer(instanceId: string, error: EngineError): WorkflowException {
  return new WorkflowException(
    ErrorCode.WrongCall,
    WorkflowReason.InstanceFailed,
    `instance ${instanceId} failed: ${error.message}; an incident was raised`,
    [{ field: error.elementId ? `xml#${error.elementId}` : 'xml', reason: error.message }],
  );
}

function isBudgetError(error: unknown): error is EngineError {
  return error instanceof EngineError && error.code === EngineErrorCode.BUDGET_EXCEEDED;
}

/** See ExecutionService.learntUnderLock. */
interface LearntUnderLock {
  definition?: ProcessDefinitionEntity;
  noAssigneeIncident?: boolean;
  /** The instance's open tasks (a task command's frame changes none but the tasks its step finishes). */
  openTasks?: TaskEntity[];
}

/**
 * The durability model of DESIGN §4. Every command runs in one transaction: lock the instance row →
 * recover the engine from its saved state → apply → save state with version + 1 → upsert task rows
 * from the waits, cancel tasks no longer waiting → sync timer jobs → history and outbox rows → commit.
 */
@Injectable()
export class ExecutionService {
  private readonly logger = new Logger(ExecutionService.name);
  /** Outbox events of the step running in a transaction (see batched). */
  private readonly batches = new WeakMap<EntityManager, OutboxBatch>();
  /**
   * What a task command learnt with its instance under the lock, keyed by that locked object and used once
   * by the step that follows: the definition row and the open tasks (not read again) and that no
   * `unknown_assignee` incident is open (nothing to settle). A later step of the same object reads and
   * settles as usual.
   */
  private readonly learntUnderLock = new WeakMap<ProcessInstanceEntity, LearntUnderLock>();
  /** Elements the starts of one transaction entered: a command and the instances its calls start. */
  private readonly enteredByStarts = new WeakMap<EntityManager, number>();
  /** New instances whose row (and serial number) is written with their transaction's COMMIT, not yet sent. */
  private readonly rowsAtCommit = new WeakSet<ProcessInstanceEntity>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: DefinitionRegistry,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
    private readonly incidents: IncidentsRepository,
    private readonly rows: ExecutionRepository,
    private readonly events: EventsRepository,
    private readonly sla: SlaLadderService,
    private readonly externalTasks: ExternalTaskSyncService,
    private readonly hot: HotEngines,
    private readonly wakeups: JobWakeups,
  ) {}

  /**
   * One transaction, retried when PostgreSQL aborts it for a deadlock or serialization failure. An
   * `InstanceFailure` rolls it back and records the failure in a transaction of its own. `within`:
   * the caller's open transaction, which the work joins (the caller's own `transaction` retries and
   * records failures).
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>, within?: EntityManager): Promise<T> {
    // part of a caller's transaction (a work-order command around a task command): one commit for both
    if (within) return work(within);
    try {
      return await this.retried(work);
    } catch (error) {
      if (!(error instanceof InstanceFailure)) throw error;
      await this.retried(error.record);
      throw error.answer();
    }
  }

  private async retried<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        let used: EntityManager | undefined;
        const result = await pipelinedTransaction(this.dataSource, work, (manager) => (used = manager));
        // only now may the engines of its steps stand for their instances' saved state
        if (used) this.hot.committed(used);
        return result;
      } catch (error) {
        const code = error instanceof QueryFailedError ? (error as { code?: string }).code : undefined;
        if (!code || !RETRYABLE.has(code) || attempt >= 5) throw error;
        this.logger.warn({ code, attempt }, 'transaction aborted by PostgreSQL, retrying');
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }

  /** Locks the instance row for the rest of the transaction: every change to an instance serializes here. */
  async lockInstance(manager: EntityManager, id: string): Promise<ProcessInstanceEntity> {
    const instance = await this.rows.lockInstance(manager, id);
    if (!instance) throw WorkflowException.missing(WorkflowReason.InstanceNotFound, 'instance', id);
    return instance;
  }

  /** What the lock taught about `instance` under `key`, once (a later step reads and settles as usual). */
  private takeLearnt<K extends keyof LearntUnderLock>(
    instance: ProcessInstanceEntity,
    key: K,
  ): LearntUnderLock[K] | undefined {
    const learnt = this.learntUnderLock.get(instance);
    const value = learnt?.[key];
    if (learnt) learnt[key] = undefined;
    return value;
  }

  /**
   * Locks the row of a task's instance (as `lockInstance`) and reads the task with it; null for an unknown
   * task. The task is the one in `openTasks` while it is open.
   */
  async lockTaskCommand(manager: EntityManager, taskId: string): Promise<TaskCommandRead | null> {
    const read = await this.rows.lockTaskCommand(manager, taskId);
    if (!read) return null;
    this.learntUnderLock.set(read.instance, {
      definition: read.definition,
      openTasks: read.openTasks,
      noAssigneeIncident: !read.openAssigneeIncident || undefined,
    });
    return read;
  }

  /** A chosen serial number is used once: concurrent claims of one number queue on a lock, the later gets 4090. */
  private async claimSerialNo(manager: EntityManager, serialNo: string): Promise<void> {
    await this.rows.lockSerialNo(manager, serialNo);
    if (await this.rows.serialNoTaken(manager, serialNo))
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.SerialTaken,
        `serial number ${serialNo} is taken`,
      );
  }

  start(manager: EntityManager, params: StartParams): Promise<StepResult> {
    return this.batched(manager, () => this.startInstance(manager, params));
  }

  private async startInstance(manager: EntityManager, params: StartParams): Promise<StepResult> {
    const { definition } = params;
    if (params.serialNo) await this.claimSerialNo(manager, params.serialNo);
    const compiled = await this.registry.compile(definition);
    const now = new Date();
    const { snapshot, warm } = await engineStep('start', () =>
      startStep({
        definition: compiled,
        variables: params.variables,
        businessKey: params.businessKey ?? null,
        initiator: params.initiator !== undefined ? params.initiator : params.actor.id,
        startEventId: params.startEventId ?? null,
      }),
    ).catch((error: unknown) => {
      if (isBudgetError(error)) throw this.failedStart(params, error);
      throw fromEngineError(error);
    });
    this.countStartSteps(manager, snapshot, params);
    // The row is written once, as the step leaves it (version 1), with its serial number taken in the
    // same statement, at commit; the step's tasks, jobs and history go before it (a new instance has none
    // to read).
    const stepped = new Date();
    const ended = snapshot.status !== 'running';
    const instance = await this.insertInstance(manager, params, {
      status: ended ? (snapshot.status === 'completed' ? 'completed' : 'stopped') : 'running',
      state: snapshot.state,
      variables: snapshot.variables,
      activeElements: [...snapshot.activeElements],
      version: 1,
      now,
      updatedAt: stepped,
      endedAt: ended ? stepped : null,
      endReason: ended && snapshot.status !== 'completed' ? 'cancelled by the process' : null,
    });
    const step = await this.persist(
      manager,
      instance,
      definition,
      compiled,
      { snapshot, warm },
      { actorId: params.actor.id },
      stepped,
    );
    await this.emitWithSerialNo(manager, WorkflowEventTopic.InstanceStarted, instance, {
      definitionKey: instance.definitionKey,
      initiatorId: instance.initiatorId,
    });
    return step;
  }

  /**
   * The serial number of an instance, taken now when its start left it for the commit (the waiting writes
   * go now, and the counter row stays locked from here): for what needs it inside the transaction.
   */
  async serialNoOf(manager: EntityManager, instance: ProcessInstanceEntity): Promise<string> {
    if (this.rowsAtCommit.has(instance)) await sendHeld(manager);
    return instance.serialNo;
  }

  /**
   * The instance row with its serial number (the caller's, or the next of the definition's counter,
   * bumped in the same statement), written with the COMMIT: the counter row serializes starts of one code
   * (no gaps, no duplicates), and so does the day's instance count its report trigger bumps, so both are
   * locked only by the last message. Its id is taken now (tasks, history and events name it); `serialNo`
   * is '' until the row is written (serialNoOf takes it early); events fill it in SQL.
   */
  private async insertInstance(
    manager: EntityManager,
    params: StartParams,
    step: {
      status: InstanceStatusValue;
      state: object;
      variables: Record<string, unknown>;
      activeElements: string[];
      version: number;
      now: Date;
      updatedAt: Date;
      endedAt: Date | null;
      endReason: string | null;
    },
  ): Promise<ProcessInstanceEntity> {
    const { definition } = params;
    const { now } = step;
    const period = periodOf(now, this.config.TZ_BUSINESS);
    const serial = params.serialNo ? { serialNo: params.serialNo } : { code: definition.serialCode, period };
    const id = await this.rows.nextInstanceId(manager);
    const row: NewInstance = {
      definitionId: definition.id,
      definitionKey: definition.key,
      definitionVersion: definition.version,
      processName: definition.name,
      category: definition.category,
      businessKey: params.businessKey ?? null,
      title: params.title ?? null,
      status: step.status,
      initiatorId: params.actor.id,
      initiatorDepartmentId: params.actor.departmentId ?? null,
      state: step.state,
      variables: step.variables,
      version: step.version,
      activeElements: step.activeElements,
      parentInstanceId: params.parent?.instance.id ?? null,
      parentExecutionId: params.parent?.executionId ?? null,
      rootInstanceId: params.parent
        ? (params.parent.instance.rootInstanceId ?? params.parent.instance.id)
        : null,
      relaunchedFromId: params.relaunchedFromId ?? null,
      startedAt: now,
      updatedAt: step.updatedAt,
      endedAt: step.endedAt,
      endReason: step.endReason,
    };
    // '' until the COMMIT takes the number (serialNoOf takes it early); a plain property, as an accessor
    // turned the entities into dictionary-mode objects and slowed the code completions share
    const instance = manager.getRepository(ProcessInstanceEntity).create({ ...row, id, serialNo: '' });
    this.rowsAtCommit.add(instance);
    await this.rows.insertInstanceAtCommit(manager, id, serial, row, (serialNo) => {
      this.rowsAtCommit.delete(instance);
      instance.serialNo = serialNo;
    });
    return instance;
  }

  /**
   * A start whose first step ran past the budget: the instance is kept as `failed` (no engine state,
   * nothing to resume) with an incident naming the element, so operators see what was tried.
   */
  private failedStart(params: StartParams, error: EngineError): InstanceFailure {
    let instanceId = '';
    return new InstanceFailure(
      async (manager) => {
        const now = new Date();
        const instance = await this.insertInstance(manager, params, {
          status: 'failed',
          state: {},
          variables: params.variables ?? {},
          activeElements: [],
          version: 0,
          now,
          updatedAt: now,
          endedAt: now,
          endReason: error.message.slice(0, 500),
        });
        instanceId = instance.id;
        const incident = await this.incidents.raise(manager, {
          kind: 'engine_budget',
          instanceId: instance.id,
          definitionId: params.definition.id,
          elementId: error.elementId ?? null,
          message: error.message,
        });
        this.logger.warn({ instanceId, incidentId: incident.id, err: error }, 'instance failed at start');
      },
      () => failedAnswer(instanceId, error),
    );
  }

  /**
   * A step on a running instance ran past the budget: the step is rolled back, the instance ends
   * as `failed` (its tasks and timers cancelled) and an incident names the element.
   */
  private failedStep(
    instance: ProcessInstanceEntity,
    error: EngineError,
    actorId: string | null,
  ): InstanceFailure {
    return new InstanceFailure(
      async (manager) => {
        const locked = await this.lockInstance(manager, instance.id);
        if (locked.status !== 'running') return;
        const incident = await this.incidents.raise(manager, {
          kind: 'engine_budget',
          instanceId: locked.id,
          definitionId: locked.definitionId,
          elementId: error.elementId ?? null,
          message: error.message,
        });
        await this.endTree(manager, locked, 'failed', error.message.slice(0, 500), { actorId });
        this.logger.warn({ instanceId: locked.id, incidentId: incident.id, err: error }, 'instance failed');
      },
      () => failedAnswer(instance.id, error),
    );
  }

  /** A task-only change moved the instance row to `version` in `manager`'s transaction, its saved state untouched. */
  bumpedWithoutStep(manager: EntityManager, instanceId: string, version: number): void {
    this.hot.bumped(manager, instanceId, version);
  }

  /**
   * A person handed a task by command (transfer, delegate, next assignees) as a staff id: the gateway
   * has checked the name exists; the stored assignee is the id, as for tasks the model assigns.
   */
  async staffIdOf(manager: EntityManager, ref: string): Promise<string> {
    if (STAFF_ID.test(ref)) return ref;
    return (await enabledStaffIdsByRef(manager, [ref])).get(ref) ?? ref;
  }

  /** An `unknown_assignee` incident ends once its task is held by a staff id or has ended. */
  settleAssigneeIncidents(manager: EntityManager, instanceId: string, actorId: string): Promise<void> {
    return this.incidents.resolveSettledAssignees(manager, instanceId, actorId);
  }

  /** Applies an engine command to an instance the caller has locked. */
  apply(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    command: EngineCommand,
    context: StepContext,
  ): Promise<StepResult> {
    return this.batched(manager, () => this.applyCommand(manager, instance, command, context));
  }

  private async applyCommand(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    command: EngineCommand,
    context: StepContext,
  ): Promise<StepResult> {
    assertRunning(instance);
    const definition = await this.registry.byId(
      instance.definitionId,
      manager,
      this.takeLearnt(instance, 'definition'),
    );
    const compiled = await this.registry.compile(definition);
    // the version was read under the row lock: a kept engine of another version is stale and dropped
    const kept = this.hot.take(instance.id, instance.version, compiled, command);
    const step = await engineStep(command.type, () =>
      kept
        ? warmStep(kept, command)
        : resumeStep({ definition: compiled, state: instance.state as InstanceState }, command),
    ).catch((error: unknown) => {
      if (isBudgetError(error)) throw this.failedStep(instance, error, context.actorId);
      throw fromEngineError(error);
    });
    return this.persist(manager, instance, definition, compiled, step, context);
  }

  /** Ends a running instance without the engine (stop, discard, reject): cancels its tasks and jobs. */
  end(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    status: Exclude<InstanceStatusValue, 'running'>,
    reason: string | null,
    context: StepContext,
  ): Promise<StepResult> {
    return this.batched(manager, () => this.endInstance(manager, instance, status, reason, context));
  }

  private async endInstance(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    status: Exclude<InstanceStatusValue, 'running'>,
    reason: string | null,
    context: StepContext,
  ): Promise<StepResult> {
    const now = new Date();
    const cancelledTasks = await this.cancelOpenTasks(manager, instance, now, context, status);
    await this.rows.cancelPendingJobs(manager, instance.id, now);
    await this.externalTasks.sync(manager, instance, [], now);
    await this.incidents.resolveSettledAssignees(manager, instance.id, context.actorId ?? 'system');
    const compiled = await this.registry.compile(await this.registry.byId(instance.definitionId, manager));
    if (publishesListeners(compiled)) {
      // the elements cut off here end too (Camunda runs their end listeners on cancellation), then the process
      const open = await this.rows.openHistoryElements(manager, instance.id);
      await this.publishListeners(manager, instance, [
        ...taskFirings(compiled, cancelledTasks, 'delete'),
        ...executionFirings(compiled, [
          ...open.map((elementId) => ({ elementId, event: 'leave' as const })),
          { elementId: compiled.processId, event: 'leave' },
        ]),
      ]);
    }
    await this.rows.cancelOpenHistory(manager, instance.id, now);
    await this.saveInstance(manager, instance, {
      status,
      endedAt: now,
      endReason: reason,
      activeElements: [],
    });
    await this.emitWithSerialNo(manager, WorkflowEventTopic.InstanceEnded, instance, { status, reason });
    return { instance, createdTasks: [], cancelledTasks };
  }

  /**
   * The instance as the engine sees it now (tokens, join arrivals), for planning a move. Runs a
   * `resume` on a copy of the saved state and persists nothing.
   */
  async inspect(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
  ): Promise<{ compiled: CompiledDefinition; snapshot: Snapshot }> {
    const definition = await this.registry.byId(instance.definitionId, manager);
    const compiled = await this.registry.compile(definition);
    const snapshot = await resumeAndApply(
      { definition: compiled, state: instance.state as InstanceState },
      { type: 'resume' },
    ).catch((error: unknown) => {
      throw fromEngineError(error);
    });
    return { compiled, snapshot };
  }

  async inspectDefinition(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
  ): Promise<CompiledDefinition> {
    return this.registry.compile(await this.registry.byId(instance.definitionId, manager));
  }

  /** Ends an instance and, first, its running child instances (call activities), depth first. */
  async endTree(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    status: Exclude<InstanceStatusValue, 'running'>,
    reason: string | null,
    context: StepContext,
  ): Promise<StepResult> {
    const children = await this.rows.runningChildren(manager, instance.id);
    for (const child of children) {
      const locked = await this.lockInstance(manager, child.id);
      if (locked.status === 'running')
        await this.endTree(manager, locked, status, `parent instance ${instance.id} ended`, context);
    }
    return this.end(manager, instance, status, reason, context);
  }

  private async persist(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    definition: ProcessDefinitionEntity,
    compiled: CompiledDefinition,
    { snapshot, warm }: { snapshot: Snapshot; warm: WarmInstance | null },
    context: StepContext,
    /** Set for an instance just inserted as this step left it (at this time): it has no rows yet. */
    insertedAt?: Date,
  ): Promise<StepResult> {
    const now = insertedAt ?? new Date();
    const fresh = insertedAt !== undefined;
    const ended = snapshot.status !== 'running';
    if (!fresh)
      await this.saveInstance(manager, instance, {
        state: snapshot.state,
        variables: snapshot.variables,
        activeElements: [...snapshot.activeElements],
        ...(ended && {
          status: snapshot.status === 'completed' ? 'completed' : 'stopped',
          endedAt: now,
          endReason: snapshot.status === 'completed' ? null : 'cancelled by the process',
        }),
      });
    // before anything below runs a nested step on this instance (a child that ends at once resumes it)
    this.hot.stepped(manager, instance.id, instance.version, ended ? null : warm);
    const { created, cancelled } = await this.syncTasks(
      manager,
      instance,
      definition,
      snapshot.waits,
      now,
      context,
      fresh,
    );
    const shape = shapeOf(compiled);
    if (!fresh || snapshot.timers.length > 0)
      await this.syncJobs(manager, instance, snapshot, now, shape, fresh);
    // external-task rows exist only for definitions with external work
    const externalWaits = snapshot.waits.some((w) => w.type === 'externalTask');
    if (externalWaits || (!fresh && shape.externalWork))
      await this.externalTasks.sync(manager, instance, snapshot.waits, now);
    const mayHaveIncident = !this.takeLearnt(instance, 'noAssigneeIncident');
    if (mayHaveIncident && (cancelled.length > 0 || (context.finishedTaskIds?.length ?? 0) > 0))
      await this.incidents.resolveSettledAssignees(manager, instance.id, context.actorId ?? 'system');
    await this.writeHistory(manager, instance, compiled, snapshot, created, context);
    if (publishesListeners(compiled)) {
      const finished = context.finishedTaskIds?.length
        ? await this.rows.tasksByIds(manager, context.finishedTaskIds)
        : [];
      await this.publishListeners(manager, instance, [
        ...taskFirings(compiled, finished, 'complete'),
        ...taskFirings(compiled, cancelled, 'delete'),
        ...executionFirings(compiled, snapshot.history),
        ...taskFirings(compiled, created, 'create'),
      ]);
    }
    for (const name of thrownSignals(compiled, snapshot.history))
      await this.queueSignal(manager, name, instance.id);
    if (ended) {
      await this.emitWithSerialNo(manager, WorkflowEventTopic.InstanceEnded, instance, {
        status: instance.status,
      });
    }
    const result: StepResult = { instance, createdTasks: created, cancelledTasks: cancelled };
    if (
      await this.syncCallActivities(manager, instance, definition, compiled, snapshot.waits, context, fresh)
    ) {
      // A child that finished at once has already resumed this instance: reload what it changed.
      Object.assign(instance, await this.rows.findInstance(manager, instance.id));
    }
    const error = instance.parentInstanceId ? uncaughtErrors(compiled, snapshot.history)[0] : undefined;
    if (error !== undefined && (await this.propagateError(manager, instance, error, context))) return result;
    if (ended && instance.parentInstanceId && instance.parentExecutionId && instance.status === 'completed') {
      await this.resumeParent(manager, instance, context);
    }
    return result;
  }

  /** The UPDATE is guarded by the version read under the lock: a lost update cannot slip through. */
  private async saveInstance(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    changes: Partial<ProcessInstanceEntity>,
  ): Promise<void> {
    this.hot.changed(manager, instance.id);
    // an UPDATE waiting for the next message would run before a row held for the commit
    if (this.rowsAtCommit.has(instance)) await sendHeld(manager);
    const now = new Date();
    await this.rows.updateInstanceAtVersion(
      manager,
      instance.id,
      instance.version,
      { ...changes, version: instance.version + 1, updatedAt: now },
      () =>
        new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.ConcurrentChange,
          `instance ${instance.id} changed concurrently`,
        ),
    );
    Object.assign(instance, changes, { version: instance.version + 1, updatedAt: now });
  }

  private async syncTasks(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    definition: ProcessDefinitionEntity,
    waits: readonly Wait[],
    now: Date,
    context: StepContext,
    fresh: boolean,
  ): Promise<{ created: TaskEntity[]; cancelled: TaskEntity[] }> {
    const finished = new Set(context.finishedTaskIds ?? []);
    const learnt = this.takeLearnt(instance, 'openTasks')?.filter(
      (t) => t.status === 'open' && !finished.has(t.id),
    );
    const open = fresh ? [] : (learnt ?? (await this.rows.openTasks(manager, instance.id)));
    const userWaits = waits.filter((w) => w.type === 'userTask');
    const waiting = new Set(userWaits.map((w) => w.executionId));
    const known = new Set(open.map((t) => t.executionId));

    const gone = open.filter((t) => !waiting.has(t.executionId) && !finished.has(t.id));
    if (gone.length > 0) {
      await this.rows.updateTasks(
        manager,
        gone.map((t) => t.id),
        { status: 'cancelled', outcome: 'cancelled', endedAt: now },
      );
      for (const task of gone) {
        Object.assign(task, { status: 'cancelled', outcome: 'cancelled', endedAt: now });
        await this.emit(manager, WorkflowEventTopic.TaskCancelled, instance, {
          taskId: task.id,
          name: task.name,
        });
      }
    }
    const newWaits = userWaits.filter((w) => !known.has(w.executionId));
    const rows: Array<{ row: Partial<TaskEntity>; unknown: string[] }> = [];
    // People named by sign-in name (`camunda:assignee="kermit"`) become staff ids once, here, so every
    // reader of tasks and events (todo, notifications, webhooks, reports, SLA) sees ids.
    const staffIds = await enabledStaffIdsByRef(
      manager,
      newWaits.flatMap((w) => [w.assignee, ...w.candidateUsers]).filter((r) => r && !STAFF_ID.test(r)),
    );
    for (const wait of newWaits) {
      const unknown: string[] = [];
      const person = (ref: string): string => {
        if (STAFF_ID.test(ref)) return ref;
        const id = staffIds.get(ref);
        if (id === undefined) unknown.push(ref);
        return id ?? ref;
      };
      const candidates = candidateKeysOfTask(wait.candidateUsers.map(person), wait.candidateGroups);
      // A task naming nobody would strand the instance; like RuoYi's 申请人 node it goes to the initiator.
      const assigneeId =
        (wait.assignee ? person(wait.assignee) : null) ??
        (candidates.length === 0 ? instance.initiatorId : null);
      rows.push({
        unknown,
        row: {
          instanceId: instance.id,
          definitionId: definition.id,
          definitionKey: definition.key,
          processName: definition.name,
          category: definition.category,
          instanceStartedAt: instance.startedAt,
          initiatorId: instance.initiatorId,
          elementId: wait.elementId,
          executionId: wait.executionId,
          name: wait.name ?? wait.elementId,
          assigneeId,
          ownerId: null,
          delegationState: null,
          candidates,
          formKey: wait.formKey,
          priority: wait.priority,
          dueAt: wait.dueDate ? new Date(wait.dueDate) : null,
          status: 'open',
          outcome: null,
          miRootExecutionId: wait.multiInstance?.rootExecutionId ?? null,
          miIndex: wait.multiInstance?.index ?? null,
          miTotal: wait.multiInstance?.total ?? null,
          createdAt: now,
          claimedAt: assigneeId ? now : null,
          endedAt: null,
          endedBy: null,
        },
      });
    }
    // one multi-row INSERT of the tasks, one of their SLA ladders; then each task's incident and event
    const created = await this.rows.insertTasks(
      manager,
      rows.map((r) => r.row),
    );
    await this.sla.arm(manager, created);
    for (const [i, task] of created.entries()) {
      const { unknown } = rows[i];
      if (unknown.length > 0) {
        // Kept as written (the todo of whoever signs in with that name later still shows it); an
        // operator sees the incident and reassigns the task.
        this.takeLearnt(instance, 'noAssigneeIncident');
        await this.incidents.raise(manager, {
          kind: 'unknown_assignee',
          instanceId: instance.id,
          definitionId: definition.id,
          elementId: task.elementId,
          taskId: task.id,
          message: `task "${task.name}" (#${task.id}) names ${unknown.map((u) => `"${u}"`).join(', ')}, which no enabled staff member signs in as`,
        });
        this.logger.warn({ instanceId: instance.id, taskId: task.id, unknown }, 'task names unknown people');
      }
      await this.emit(manager, WorkflowEventTopic.TaskCreated, instance, {
        taskId: task.id,
        name: task.name,
        elementId: task.elementId,
        assigneeId: task.assigneeId,
        candidates: task.candidates,
        processName: task.processName,
        dueAt: task.dueAt?.toISOString() ?? null,
      });
    }
    return { created, cancelled: gone };
  }

  private async cancelOpenTasks(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    now: Date,
    context: StepContext,
    outcome: string,
  ): Promise<TaskEntity[]> {
    const finished = new Set(context.finishedTaskIds ?? []);
    const open = (await this.rows.openTasks(manager, instance.id)).filter((t) => !finished.has(t.id));
    if (open.length === 0) return [];
    await this.rows.updateTasks(
      manager,
      open.map((t) => t.id),
      { status: 'cancelled', outcome, endedAt: now },
    );
    for (const task of open) {
      Object.assign(task, { status: 'cancelled', outcome, endedAt: now });
      await this.emit(manager, WorkflowEventTopic.TaskCancelled, instance, {
        taskId: task.id,
        name: task.name,
      });
    }
    return open;
  }

  /** Pending timer jobs mirror the engine's pending timers exactly. */
  private async syncJobs(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    snapshot: Snapshot,
    now: Date,
    shape: DefinitionShape,
    inserted: boolean,
  ): Promise<void> {
    // a new instance, or one of a definition without timer events, has no timer job to read
    const pending =
      !inserted && (shape.timers || snapshot.timers.length > 0)
        ? await this.rows.pendingTimerJobs(manager, instance.id)
        : [];
    const wanted = new Map(snapshot.timers.map((t) => [t.timerId, t]));
    const stale = pending.filter((job) => !wanted.has(job.timerId));
    if (stale.length > 0)
      await this.rows.cancelJobs(
        manager,
        stale.map((j) => j.id),
        now,
      );
    const have = new Set(pending.map((j) => j.timerId));
    const added = snapshot.timers.filter((t) => !have.has(t.timerId));
    await this.insertJobs(
      manager,
      added.map((timer) => ({
        kind: 'timer',
        instanceId: instance.id,
        timerId: timer.timerId,
        elementId: timer.elementId,
        dueAt: new Date(timer.dueAt),
        status: 'pending' as const,
      })),
    );
  }

  /**
   * A broadcast signal to one of its subscribers; false, and the instance left as it is (variables,
   * version), when nothing in it waits for the signal any more (its catcher fired, its scope ended).
   */
  async deliverSignal(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    name: string,
    variables: Record<string, unknown> | undefined,
    actorId: string | null,
  ): Promise<boolean> {
    const definition = await this.registry.byId(instance.definitionId, manager);
    const compiled = await this.registry.compile(definition);
    if (!waitsFor(compiled, instance.activeElements, 'signal', name)) return false;
    // the step reuses the definition read here instead of reading it again
    this.learntUnderLock.set(instance, { ...this.learntUnderLock.get(instance), definition });
    await this.apply(manager, instance, { type: 'signal', name, variables }, { actorId });
    return true;
  }

  /**
   * Running instances (other than `exceptId`) whose definition catches signal `name`: the
   * subscriptions a broadcast must reach. Definitions are compiled once per version (cached).
   */
  async signalSubscribers(manager: EntityManager, name: string, exceptId?: string): Promise<string[]> {
    const listening: string[] = [];
    for (const definition of await this.rows.definitionsWithRunningInstances(manager)) {
      const compiled = await this.registry.compileIfRunnable(definition);
      if (compiled && catchersOf(compiled, 'signal', name).length) listening.push(definition.id);
    }
    if (!listening.length) return [];
    return this.rows.runningInstanceIdsOf(manager, listening, exceptId);
  }

  /** Writes jobs, and tells this replica's runner of the earliest once the transaction commits. */
  private async insertJobs(manager: EntityManager, jobs: readonly NewJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.rows.insertJobs(manager, jobs);
    // a loop, not Math.min(...): a signal to many instances writes more jobs than a call takes arguments
    let earliest = Infinity;
    for (const job of jobs) earliest = Math.min(earliest, job.dueAt.getTime());
    this.wakeups.wrote(manager, earliest);
  }

  /**
   * A signal thrown inside an instance reaches the other instances through one job per subscriber
   * (kind 'signal', element_id = the name): each is applied in that instance's own transaction by
   * whichever replica claims it, so two instances throwing at each other never deadlock.
   */
  private async queueSignal(manager: EntityManager, name: string, fromInstanceId: string): Promise<void> {
    const targets = await this.signalSubscribers(manager, name, fromInstanceId);
    const token = randomUUID();
    const job = { elementId: name.slice(0, 255), dueAt: new Date(), status: 'pending' as const };
    const jobs = targets.map((instanceId) => ({
      ...job,
      kind: 'signal',
      instanceId,
      timerId: `signal:${token}`,
    }));
    // signal start events: one job (on the throwing instance) starts them all, once, on any replica
    if ((await this.signalStartDefinitions(manager, name)).length)
      jobs.push({
        ...job,
        kind: 'signal-start',
        instanceId: fromInstanceId,
        timerId: `signal-start:${token}`,
      });
    await this.insertJobs(manager, jobs);
  }

  /**
   * The newest version of every key whose process starts with this signal, unless it is suspended
   * (an older version's signal start is replaced by the new one, as Camunda and Flowable do).
   */
  async signalStartDefinitions(
    manager: EntityManager,
    name: string,
  ): Promise<Array<{ definition: ProcessDefinitionEntity; startEventId: string }>> {
    const found: Array<{ definition: ProcessDefinitionEntity; startEventId: string }> = [];
    for (const id of await this.rows.latestSignalDefinitionIds(manager)) {
      const definition = await this.registry.byId(id, manager);
      const compiled = await this.registry.compileIfRunnable(definition);
      const start = compiled && startEventFor(compiled, 'signal', name);
      if (start) found.push({ definition, startEventId: start.id });
    }
    return found;
  }

  /** Starts one instance of every definition with a signal start event for `name` (see above). */
  async startBySignal(
    manager: EntityManager,
    name: string,
    variables?: Record<string, unknown>,
  ): Promise<string[]> {
    const started: string[] = [];
    for (const { definition, startEventId } of await this.signalStartDefinitions(manager, name)) {
      const step = await this.start(manager, {
        definition,
        actor: { id: SIGNAL_STARTER, departmentId: null },
        initiator: null,
        variables,
        startEventId,
      });
      started.push(step.instance.id);
    }
    return started;
  }

  private async writeHistory(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    compiled: CompiledDefinition,
    snapshot: Snapshot,
    createdTasks: TaskEntity[],
    context: StepContext,
  ): Promise<void> {
    const taskByExecution = new Map(createdTasks.map((t) => [t.executionId, t.id]));
    // A leave belongs to the newest open row of its execution. Rows entered in this step are paired
    // here and inserted already left; leaves of rows from earlier steps go to the database first (in one
    // statement, before the insert adds newer open rows): one UPDATE and one INSERT per step.
    const entered: HistoryRow[] = [];
    const openHere = new Map<string, number[]>();
    const earlier: HistoryLeave[] = [];
    for (const event of snapshot.history) {
      if (event.elementId === compiled.processId) continue; // the instance row records its own start and end
      if (event.event === 'enter') {
        const stack = openHere.get(event.executionId) ?? [];
        stack.push(entered.length);
        openHere.set(event.executionId, stack);
        entered.push({
          instanceId: instance.id,
          elementId: event.elementId,
          elementType: event.elementType,
          elementName: compiled.elementsById.get(event.elementId)?.name ?? null,
          executionId: event.executionId,
          taskId: taskByExecution.get(event.executionId) ?? null,
          enteredAt: new Date(event.at),
          leftAt: null,
          outcome: null,
          actorId: null,
        });
      } else {
        const leave: HistoryLeave = {
          executionId: event.executionId,
          at: new Date(event.at),
          outcome: event.outcome ?? 'completed',
          actorId: event.outcome === 'cancelled' ? null : context.actorId,
        };
        const index = openHere.get(event.executionId)?.pop();
        if (index === undefined) earlier.push(leave);
        else
          Object.assign(entered[index], { leftAt: leave.at, outcome: leave.outcome, actorId: leave.actorId });
      }
    }
    await this.rows.leaveHistory(manager, instance.id, earlier);
    await this.rows.insertHistory(manager, entered);
  }

  /**
   * Makes the running children equal the waiting call activities, in this transaction: a call activity
   * waiting with no child yet starts it; a child whose call activity lost its token (a boundary timer or
   * message, an interrupting event sub-process, a terminate end, the instance ending) is stopped with it,
   * as Camunda cancels the called instance. True when a child was started (it may have resumed this
   * instance already).
   */
  private async syncCallActivities(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    definition: ProcessDefinitionEntity,
    compiled: CompiledDefinition,
    waits: readonly Wait[],
    context: StepContext,
    fresh: boolean,
  ): Promise<boolean> {
    if (!shapeOf(compiled).callActivities) return false;
    const calls =
      instance.status === 'running' ? waits.filter((w) => w.type === 'callActivity' && w.callActivity) : [];
    const waiting = new Set(calls.map((w) => w.executionId));
    const children = fresh ? [] : await this.rows.runningChildren(manager, instance.id);
    for (const child of children) {
      if (child.parentExecutionId && waiting.has(child.parentExecutionId)) continue;
      const locked = await this.lockInstance(manager, child.id);
      if (locked.status === 'running')
        await this.endTree(
          manager,
          locked,
          'stopped',
          `its call activity in instance ${instance.id} was interrupted`,
          context,
        );
    }
    const started = new Set(children.map((c) => c.parentExecutionId));
    let startedAny = false;
    for (const wait of calls) {
      if (started.has(wait.executionId)) continue;
      const call = wait.callActivity!;
      // the depth is this instance's, the same for every call it starts now: read once
      if (!startedAny) await this.refuseDeepCall(manager, instance, wait.elementId);
      const childDefinition = await this.registry.latestActive(call.calledElement, manager);
      const child = await this.start(manager, {
        definition: childDefinition,
        actor: { id: instance.initiatorId, departmentId: instance.initiatorDepartmentId },
        variables: call.variables,
        businessKey: call.businessKey ?? instance.businessKey,
        parent: { instance, executionId: wait.executionId, callElementId: wait.elementId },
      });
      this.logger.debug(
        { parent: instance.id, child: child.instance.id, definition: definition.key },
        'call activity started',
      );
      startedAny = true;
    }
    return startedAny;
  }

  /**
   * The step budget (ENGINE_MAX_STEPS) holds for a command as a whole: each engine session counts its
   * own steps, so a multi-instance call of 1,000 processes with 1,000 tasks each would otherwise create
   * a million tasks in one transaction. Refused (rolled back) once the starts pass it.
   */
  private countStartSteps(manager: EntityManager, snapshot: Snapshot, params: StartParams): void {
    // the history has one entry per element, the waits one per multi-instance task
    const entered = snapshot.history.filter((h) => h.event === 'enter').length + snapshot.waits.length;
    const total = (this.enteredByStarts.get(manager) ?? 0) + entered;
    this.enteredByStarts.set(manager, total);
    const max = this.config.ENGINE_MAX_STEPS;
    if (total <= max || !params.parent) return;
    throw refusedCall(
      params.parent.callElementId,
      `the processes started by this command entered more than ${max} elements and waits (call activities fanning out)`,
    );
  }

  /**
   * Processes that call each other (A → B → A …) would start children until the command timed out,
   * holding the workflow app and answering 5004: refused at the depth no real model reaches, and the
   * command rolled back (Camunda fails the same way, with a stack overflow).
   */
  private async refuseDeepCall(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    elementId: string,
  ): Promise<void> {
    if (!instance.parentInstanceId) return;
    if ((await this.rows.callDepth(manager, instance.id, MAX_CALL_DEPTH)) < MAX_CALL_DEPTH) return;
    throw refusedCall(
      elementId,
      `call activity ${elementId} would nest called processes more than ${MAX_CALL_DEPTH} deep (processes calling each other?)`,
    );
  }

  /**
   * A called child reached an error end event it does not catch: as in Camunda, the error goes to the
   * call activity, caught by its error boundary event or an error event sub-process around it. Then
   * the child ends (`stopped`, if anything of it still runs). Nothing catches it there either → false:
   * the end event ended its path like a none end event.
   */
  private async propagateError(
    manager: EntityManager,
    child: ProcessInstanceEntity,
    code: string,
    context: StepContext,
  ): Promise<boolean> {
    if (!child.parentExecutionId) return false;
    const parent = await this.lockInstance(manager, child.parentInstanceId!);
    if (parent.status !== 'running') return false;
    const { compiled, snapshot } = await this.inspect(manager, parent);
    const call = snapshot.waits.find((w) => w.executionId === child.parentExecutionId);
    if (call?.type !== 'callActivity' || !errorCatcherOf(compiled, call.elementId, code)) return false;
    if (child.status === 'running')
      await this.endTree(
        manager,
        child,
        'stopped',
        `BPMN error '${code}' went to the calling instance`,
        context,
      );
    await this.apply(
      manager,
      parent,
      { type: 'bpmn-error', executionId: call.executionId, errorCode: code },
      context,
    );
    return true;
  }

  /** A finished child resumes its parent's call activity with its variables (out mappings apply). */
  private async resumeParent(
    manager: EntityManager,
    child: ProcessInstanceEntity,
    context: StepContext,
  ): Promise<void> {
    const parent = await this.lockInstance(manager, child.parentInstanceId!);
    if (parent.status !== 'running') return;
    await this.apply(
      manager,
      parent,
      { type: 'child-completed', executionId: child.parentExecutionId!, variables: child.variables },
      context,
    );
  }

  /** One `listener.published` outbox event per firing, for webhooks subscribed to it. */
  private async publishListeners(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    firings: readonly ListenerFiring[],
  ): Promise<void> {
    for (const firing of firings)
      await this.emit(manager, WorkflowEventTopic.ListenerPublished, instance, {
        processKey: instance.definitionKey,
        definitionId: instance.definitionId,
        businessKey: instance.businessKey,
        ...firing,
      });
  }

  async emit(
    manager: EntityManager,
    topic: WorkflowEventTopic,
    instance: Pick<ProcessInstanceEntity, 'id'> | null,
    payload: Record<string, unknown>,
    serialNoFromRow = false,
  ): Promise<void> {
    const instanceId = instance?.id ?? null;
    const event: NewOutboxEvent = { topic, instanceId, payload: { ...payload, instanceId } };
    if (serialNoFromRow) event.serialNoFromRow = true;
    const batch = this.batches.get(manager);
    if (batch) batch.events.push(event);
    else await this.events.append(manager, event);
  }

  /** An event with the instance's `serialNo`: filled from its row in SQL when the commit takes the number. */
  private emitWithSerialNo(
    manager: EntityManager,
    topic: WorkflowEventTopic,
    instance: ProcessInstanceEntity,
    payload: Record<string, unknown>,
  ): Promise<void> {
    if (this.rowsAtCommit.has(instance)) return this.emit(manager, topic, instance, payload, true);
    return this.emit(manager, topic, instance, { ...payload, serialNo: instance.serialNo });
  }

  /** Runs `work` (a command of steps and events) with one outbox write at its end, as `batched` does a step. */
  outboxBatch<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    return this.batched(manager, work);
  }

  /**
   * Runs a step (start, apply, end) and writes the outbox events of it and of the steps it runs inside
   * (children, parents) in one statement at the end, still in its transaction. The relay orders events
   * of one transaction by nothing finer than the transaction's time, so batching changes no order.
   */
  private async batched<T>(manager: EntityManager, work: () => Promise<T>): Promise<T> {
    const outer = this.batches.get(manager);
    if (outer) return work();
    const batch: OutboxBatch = { events: [] };
    this.batches.set(manager, batch);
    let failed = false;
    try {
      return await work();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      this.batches.delete(manager);
      // after a failure too: a caller that catches it and commits keeps what the step wrote
      if (batch.events.length > 0) {
        const written = this.events.append(manager, ...batch.events);
        if (failed) await written.catch(() => undefined);
        else await written;
      }
    }
  }
}
