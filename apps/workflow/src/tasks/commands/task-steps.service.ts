import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Actor,
  ErrorCode,
  type TaskActionReply,
  type TaskRefCommand,
  WorkflowEventTopic,
} from '@app/contracts';
import type { CommentType, ProcessInstanceEntity, TaskEntity } from '@app/database';
import { identitiesOf } from '../../common/candidate-keys';
import { holdsDelegation, isTaskParticipant, seesTaskByRow } from '../../common/visibility';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { ExecutionService, type StepResult } from '../../execution/execution.service';
import { IdempotencyService } from '../../execution/idempotency.service';
import { InstancesRepository } from '../../instances/instances.repository';
import { TasksRepository } from '../tasks.repository';
import { denyTask } from '../task-denial';
import { mapTask } from '../task.mapper';

export interface LockedTask {
  task: TaskEntity;
  manager: EntityManager;
  /** The task's instance as read under its row lock. */
  instance: ProcessInstanceEntity;
}

/**
 * The steps every task command is made of (the open-task frame, finishing, assigning, comments,
 * copy-to, the participant checks): shared by the task commands and the work-order centre.
 */
@Injectable()
export class TaskSteps {
  constructor(
    private readonly tasks: TasksRepository,
    private readonly instances: InstancesRepository,
    private readonly execution: ExecutionService,
    private readonly idempotency: IdempotencyService,
  ) {}

  /** The delegate hands the task back to its owner (Flowable resolveTask), who then completes it. */
  async resolveDelegation(
    manager: EntityManager,
    task: TaskEntity,
    actor: Actor,
    message: string | undefined,
  ): Promise<void> {
    const owner = task.ownerId!;
    task.delegationState = 'resolved';
    await this.tasks.update(manager, task.id, { delegationState: 'resolved' });
    await this.assign(manager, task, owner);
    await this.comment(manager, task, actor, 'delegate', message ?? `resolved back to ${owner}`, true);
  }

  /** Copy-to (抄送): the users see the task in "copied to me" and may read its instance. */
  async copyTo(manager: EntityManager, task: TaskEntity, actor: Actor, userIds: string[]): Promise<void> {
    const ids: string[] = [];
    for (const ref of userIds) ids.push(await this.execution.staffIdOf(manager, ref));
    const users = [...new Set(ids)];
    if (users.length === 0) return;
    await this.tasks.addCopies(manager, task, users, actor.id);
    const instance = await this.execution.lockInstance(manager, task.instanceId);
    await this.execution.emit(manager, WorkflowEventTopic.TaskCopied, instance, {
      taskId: task.id,
      name: task.name,
      userIds: users,
      copiedBy: actor.id,
      serialNo: instance.serialNo,
    });
  }

  /**
   * Next-node assignees chosen on complete: a task this completion opened gets the chosen user
   * (several users become its candidates). Multi-instance nodes take their signers from the collection.
   */
  async applyNextAssignees(
    manager: EntityManager,
    step: StepResult,
    chosen: Record<string, string[]>,
  ): Promise<void> {
    for (const task of step.createdTasks) {
      // `*` (seed 004 nextUserIds): whichever user task this completion opens next.
      const users = chosen[task.elementId] ?? chosen['*'];
      if (!Array.isArray(users) || users.length === 0 || task.miTotal !== null) continue;
      const valid = users.filter((u) => typeof u === 'string' && /^[\w.@-]{1,64}$/.test(u));
      if (valid.length !== users.length) {
        throw new WorkflowException(
          ErrorCode.InvalidParameter,
          WorkflowReason.InvalidUser,
          `nextAssignees.${task.elementId} must list user ids`,
        );
      }
      if (valid.length === 1) await this.assign(manager, task, valid[0]!);
      else {
        task.assigneeId = null;
        task.claimedAt = null;
        task.candidates = [];
        for (const u of valid) task.candidates.push(`user:${await this.execution.staffIdOf(manager, u)}`);
        await this.tasks.update(manager, task.id, {
          assigneeId: null,
          claimedAt: null,
          candidates: task.candidates,
        });
      }
    }
  }

  /**
   * The frame of every task command: idempotency, the instance lock, then the task read under it
   * (404 unknown, 4090 no longer open). Other task operations are one more call of this. `within`: the
   * caller's transaction to join (work-order commands), else one of its own. Every outbox event of the
   * command (its engine step's, task.completed, copies) goes in one statement at its end.
   */
  async onOpenTask<R = TaskActionReply>(
    command: TaskRefCommand,
    operation: string,
    work: (locked: LockedTask) => Promise<R>,
    within?: EntityManager,
  ): Promise<R> {
    const { actor } = command;
    const missing = () => WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    return this.execution.transaction(
      (manager) =>
        this.idempotency.once(manager, operation, command, () =>
          this.execution.outboxBatch(manager, async () => {
            // the instance is found through the task in the locking statement (no read before it)
            const read = await this.execution.lockTaskCommand(manager, command.taskId);
            if (!read) throw missing();
            const { task, instance } = read;
            // Outside the caller's view a command answers as a read does: nothing tells that the task
            // exists or who holds it. Whoever may see it gets the real 4001 / 4090.
            if (!(await this.maySee(actor, task, manager))) throw missing();
            if (task.status !== 'open') {
              throw new WorkflowException(
                ErrorCode.Conflict,
                WorkflowReason.TaskAlreadyHandled,
                `task ${task.id} is already ${task.status}`,
              );
            }
            return work({ task, manager, instance });
          }),
        ),
      within,
    );
  }

  /**
   * Marks the task done by `actor` and moves the engine on past it. `instance`: the task's instance as
   * read under its lock, unchanged since (the command's frame read it: no second read).
   */
  async finish(
    manager: EntityManager,
    task: TaskEntity,
    instance: ProcessInstanceEntity,
    actor: Actor,
    outcome: string,
    variables?: Record<string, unknown>,
  ): Promise<StepResult> {
    const now = new Date();
    const claimedAt = task.claimedAt ?? now;
    Object.assign(task, {
      status: 'completed',
      outcome,
      endedAt: now,
      endedBy: actor.id,
      assigneeId: task.assigneeId ?? actor.id,
      claimedAt,
    });
    await this.tasks.updateAtCommit(manager, task.id, {
      status: 'completed',
      outcome,
      endedAt: now,
      endedBy: actor.id,
      assigneeId: task.assigneeId,
      claimedAt,
    });
    const step = await this.execution.apply(
      manager,
      instance,
      { type: 'complete-task', executionId: task.executionId, variables },
      { actorId: actor.id, finishedTaskIds: [task.id] },
    );
    await this.execution.emit(manager, WorkflowEventTopic.TaskCompleted, step.instance, {
      taskId: task.id,
      name: task.name,
      completedBy: actor.id,
      outcome,
      serialNo: step.instance.serialNo,
    });
    return step;
  }

  async assign(manager: EntityManager, task: TaskEntity, ref: string): Promise<void> {
    const assigneeId = await this.execution.staffIdOf(manager, ref);
    task.assigneeId = assigneeId;
    task.claimedAt = new Date();
    await this.tasks.update(manager, task.id, { assigneeId, claimedAt: task.claimedAt });
    // The instance row is already locked by onOpenTask: the bump answers what the event needs.
    const serialNo = await this.bumpInstance(manager, task);
    await this.execution.emit(
      manager,
      WorkflowEventTopic.TaskAssigned,
      { id: task.instanceId },
      {
        taskId: task.id,
        name: task.name,
        assigneeId,
        serialNo,
      },
    );
    await this.execution.settleAssigneeIncidents(manager, task.instanceId, assigneeId);
  }

  async comment(
    manager: EntityManager,
    task: TaskEntity,
    actor: Actor,
    type: CommentType,
    message: string | undefined,
    always = false,
  ): Promise<void> {
    if (!message && type === 'normal' && !always) return;
    await this.tasks.addComment(manager, task, actor.id, type, message ?? '');
  }

  requireParticipant(actor: Actor, task: TaskEntity): void {
    if (!isTaskParticipant(actor, task)) this.deny(task);
  }

  deny(task: TaskEntity): never {
    denyTask(task);
  }

  /**
   * Task-only changes still bump the instance version: readers can tell the instance moved. The engine
   * state stays as saved, so a kept engine of it stays usable (HotEngines.bumped).
   */
  async bumpInstance(manager: EntityManager, task: TaskEntity): Promise<string> {
    const { serialNo, version } = await this.tasks.bumpInstance(manager, task.instanceId);
    if (version > 0) this.execution.bumpedWithoutStep(manager, task.instanceId, version);
    return serialNo;
  }

  reply(task: TaskEntity, step: StepResult | null): TaskActionReply {
    return {
      task: mapTask(task),
      instanceStatus: step?.instance.status ?? 'running',
      createdTasks: (step?.createdTasks ?? []).map(mapTask),
    };
  }

  /**
   * The caller must hold (or be a candidate of) the task. Someone who already did this operation on
   * it and no longer holds it gets 4090 (the second call of a pair), anyone else 4001.
   */
  async requireActor(
    manager: EntityManager,
    actor: Actor,
    task: TaskEntity,
    type: CommentType,
  ): Promise<void> {
    if (holdsDelegation(actor, task)) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.DelegationPending,
        `task ${task.id} was delegated to you by its owner: resolve it (hand it back) instead of ${type}`,
      );
    }
    if (isTaskParticipant(actor, task)) return;
    if (await this.hasDone(manager, actor, task, type)) this.alreadyDone(task, type);
    this.deny(task);
  }

  /**
   * The one visibility rule for a task: whoever may see its instance (whose detail lists the open
   * tasks) may see the task, and so may whoever acted on it before (the second call of a pair is
   * then 4090, not 404). The row alone answers for participants, past handlers and the initiator.
   */
  async maySee(actor: Actor, task: TaskEntity, manager?: EntityManager): Promise<boolean> {
    if (seesTaskByRow(actor, task)) return true;
    if (await this.instances.isVisible(actor, task.instanceId, manager)) return true;
    return this.tasks.hasCommented(task.id, actor.id, undefined, manager);
  }

  hasDone(manager: EntityManager, actor: Actor, task: TaskEntity, type: CommentType): Promise<boolean> {
    return this.tasks.hasCommented(task.id, actor.id, type, manager);
  }

  alreadyDone(task: TaskEntity, what: string): never {
    throw new WorkflowException(
      ErrorCode.Conflict,
      WorkflowReason.AlreadyDone,
      `you have ${what} task ${task.id} already`,
    );
  }

  refuseSelf(actor: Actor, userId: string): void {
    if (identitiesOf(actor).includes(userId)) {
      throw new WorkflowException(
        ErrorCode.InvalidParameter,
        WorkflowReason.InvalidUser,
        'choose someone else',
        [{ field: 'userId', reason: 'is yourself' }],
      );
    }
  }

  /** Marks the task done by `actor` with `outcome` (the engine side follows in the same transaction). */
  async closeTask(
    manager: EntityManager,
    task: TaskEntity,
    actor: Actor,
    outcome: string,
    historyOutcome: 'cancelled' | 'completed' = 'cancelled',
  ): Promise<void> {
    const now = new Date();
    const changes = {
      status: 'completed' as const,
      outcome,
      endedAt: now,
      endedBy: actor.id,
      assigneeId: task.assigneeId ?? actor.id,
      claimedAt: task.claimedAt ?? now,
    };
    Object.assign(task, changes);
    await this.tasks.updateAtCommit(manager, task.id, changes);
    await this.tasks.closeHistory(manager, task, now, actor.id, historyOutcome);
  }
}
