import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Actor,
  actorHas,
  type CompleteExternalTaskCommand,
  ErrorCode,
  type ExtendExternalTaskLockCommand,
  type ExternalTaskBpmnErrorCommand,
  type ExternalTaskReply,
  type ExternalTaskWorkerCommand,
  type FailExternalTaskCommand,
  type FetchExternalTasksCommand,
  type ListExternalTasksCommand,
  type LockedExternalTaskReply,
  type SetExternalTaskRetriesCommand,
} from '@app/contracts';
import type { ExternalTaskEntity } from '@app/database';
import type { Command as EngineCommand } from '../engine';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { requirePermission } from '../definitions/definitions.service';
import { ExecutionService } from '../execution/execution.service';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { mapExternalTask } from './external-task.mapper';
import { ExternalTasksRepository } from './external-tasks.repository';

/**
 * External tasks over REST, as Camunda's external-task API: fetch-and-lock by topic, then the worker
 * that holds the lock completes, fails (retries, retry timeout; none left → an incident), extends the
 * lock or reports a BPMN error. A worker that does not hold the task gets 4090, so two workers
 * completing one task → one success, one 4090.
 */
@Injectable()
export class ExternalTasksService {
  constructor(
    private readonly execution: ExecutionService,
    private readonly repository: ExternalTasksRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  async fetchAndLock(command: FetchExternalTasksCommand): Promise<LockedExternalTaskReply[]> {
    requireWorker(command.actor);
    const topics = [...new Map(command.topics.map((t) => [t.topicName, t])).values()];
    const rows = await this.execution.transaction((manager) =>
      this.repository.fetchAndLock(manager, command.workerId, command.maxTasks ?? 10, topics),
    );
    return rows.map(({ task, businessKey, variables }) => ({
      ...mapExternalTask(task),
      businessKey,
      variables,
    }));
  }

  complete(command: CompleteExternalTaskCommand): Promise<ExternalTaskReply> {
    return this.finish(command, (task) => ({
      type: 'complete-task',
      executionId: task.executionId,
      variables: command.variables,
    }));
  }

  bpmnError(command: ExternalTaskBpmnErrorCommand): Promise<ExternalTaskReply> {
    return this.finish(command, (task) => ({
      type: 'bpmn-error',
      executionId: task.executionId,
      errorCode: command.errorCode,
      ...(command.errorMessage !== undefined && { errorMessage: command.errorMessage }),
      variables: command.variables,
    }));
  }

  /** The lock is released; the task is fetchable again after `retryTimeout` unless no retries are left. */
  async failure(command: FailExternalTaskCommand): Promise<ExternalTaskReply> {
    requireWorker(command.actor);
    return this.execution.transaction(async (manager) => {
      const task = await this.held(manager, command);
      const changes: Partial<ExternalTaskEntity> = {
        retries: command.retries,
        errorMessage: command.errorMessage,
        errorDetails: command.errorDetails ?? null,
        workerId: null,
        lockExpiresAt: null,
        availableAt: new Date(Date.now() + (command.retryTimeout ?? 0)),
      };
      await this.repository.update(manager, task.id, changes);
      if (command.retries === 0) {
        await this.incidents.raiseForJob(manager, {
          instanceId: task.instanceId,
          kind: 'failed_external_task',
          elementId: task.elementId,
          jobId: task.id,
          message: `external task ${task.id} (${task.elementId}, topic ${task.topic}) has no retries left: ${command.errorMessage}`,
        });
      }
      return mapExternalTask({ ...task, ...changes });
    });
  }

  async extendLock(command: ExtendExternalTaskLockCommand): Promise<ExternalTaskReply> {
    requireWorker(command.actor);
    return this.execution.transaction(async (manager) => {
      const task = await this.held(manager, command);
      if (!task.lockExpiresAt || task.lockExpiresAt.getTime() <= Date.now()) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.ExternalTaskLockExpired,
          `the lock of external task ${task.id} has expired: fetch it again`,
        );
      }
      const lockExpiresAt = new Date(Date.now() + command.newDuration);
      await this.repository.update(manager, task.id, { lockExpiresAt });
      return mapExternalTask({ ...task, lockExpiresAt });
    });
  }

  /** An operator retries a task whose retries ran out: it is fetchable at once and its incident resolved. */
  async setRetries(command: SetExternalTaskRetriesCommand): Promise<ExternalTaskReply> {
    requirePermission(command.actor, 'workflow:admin');
    return this.execution.transaction(async (manager) => {
      const task = await this.repository.lockById(manager, command.id);
      if (!task)
        throw WorkflowException.missing(WorkflowReason.ExternalTaskNotFound, 'external task', command.id);
      if (task.status !== 'open') throw notOpen(task);
      const changes = { retries: command.retries, availableAt: null };
      await this.repository.update(manager, task.id, changes);
      await this.incidents.resolveForJobs(manager, 'failed_external_task', [task.id], command.actor.id);
      return mapExternalTask({ ...task, ...changes });
    });
  }

  async list(command: ListExternalTasksCommand): Promise<ExternalTaskReply[]> {
    if (!actorHas(command.actor, 'workflow:admin')) requireWorker(command.actor);
    return (await this.repository.list(command)).map(mapExternalTask);
  }

  /**
   * Ends the task as its worker and moves the instance on, in one transaction: instance row first,
   * then the task row (the lock order of every step), so a concurrent second report waits and then
   * sees the task closed.
   */
  private async finish(
    command: ExternalTaskWorkerCommand,
    engineCommand: (task: ExternalTaskEntity) => EngineCommand,
  ): Promise<ExternalTaskReply> {
    requireWorker(command.actor);
    return this.execution.transaction(async (manager) => {
      const task = await this.held(manager, command);
      const ended = { status: 'completed' as const, endedAt: new Date(), endedBy: command.workerId };
      await this.repository.update(manager, task.id, { ...ended, lockExpiresAt: null });
      const instance = await this.execution.lockInstance(manager, task.instanceId);
      await this.execution.apply(manager, instance, engineCommand(task), { actorId: command.actor.id });
      await this.incidents.resolveForJobs(manager, 'failed_external_task', [task.id], command.actor.id);
      return mapExternalTask({ ...task, ...ended, lockExpiresAt: null });
    });
  }

  /** The task, locked, if it is open and `workerId` holds it. */
  private async held(
    manager: EntityManager,
    command: ExternalTaskWorkerCommand,
  ): Promise<ExternalTaskEntity> {
    const peek = await this.repository.findById(command.id, manager);
    if (!peek)
      throw WorkflowException.missing(WorkflowReason.ExternalTaskNotFound, 'external task', command.id);
    await this.execution.lockInstance(manager, peek.instanceId);
    const task = await this.repository.lockById(manager, command.id);
    if (!task)
      throw WorkflowException.missing(WorkflowReason.ExternalTaskNotFound, 'external task', command.id);
    if (task.status !== 'open') throw notOpen(task);
    if (task.workerId !== command.workerId) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.ExternalTaskLockedByOther,
        task.workerId
          ? `external task ${task.id} is locked by another worker`
          : `external task ${task.id} is not locked: fetch and lock it first`,
      );
    }
    return task;
  }
}

function requireWorker(actor: Actor): void {
  requirePermission(actor, 'workflow:external-task');
}

function notOpen(task: ExternalTaskEntity): WorkflowException {
  return new WorkflowException(
    ErrorCode.Conflict,
    WorkflowReason.ExternalTaskNotOpen,
    `external task ${task.id} is ${task.status}`,
  );
}
