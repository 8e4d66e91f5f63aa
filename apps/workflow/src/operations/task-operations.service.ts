import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type Actor,
  type CompleteAndJumpCommand,
  ErrorCode,
  type GetTaskCommand,
  type HandOverTaskCommand,
  type MoveReply,
  type ReturnTargetReply,
  type ReturnTaskCommand,
  type TaskActionReply,
  type TaskCommentCommand,
  WorkflowEventTopic,
} from '@app/contracts';
import { CommentEntity, type CommentType, TaskEntity } from '@app/database';
import { identitiesOf } from '../common/candidate-keys';
import { isTaskParticipant, maySeeTask, seesEverything } from '../common/visibility';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { explainReturn, planMove, returnTargets } from '../engine';
import { ExecutionService } from '../execution/execution.service';
import { TasksService } from '../tasks/tasks.service';
import { mapTask } from '../tasks/task.mapper';
import { MovePlanner } from './move-planner.service';

/** reject (驳回), return (退回), delegate / resolve (委派), transfer (转办): one more command each on `onOpenTask`. */
@Injectable()
export class TaskOperationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: TasksService,
    private readonly execution: ExecutionService,
    private readonly planner: MovePlanner,
  ) {}

  /** Ends the instance as `rejected`; the initiator may relaunch it. */
  reject(command: TaskCommentCommand): Promise<TaskActionReply> {
    return this.tasks.onOpenTask(command, 'task.reject', async ({ task, manager }) => {
      const { actor } = command;
      await this.requireActor(manager, actor, task, 'reject');
      await this.closeTask(manager, task, actor, 'rejected');
      await this.tasks.comment(manager, task, actor, 'reject', command.comment ?? '', true);
      const instance = await this.execution.lockInstance(manager, task.instanceId);
      const step = await this.execution.endTree(
        manager,
        instance,
        'rejected',
        command.comment || 'rejected',
        {
          actorId: actor.id,
          finishedTaskIds: [task.id],
        },
      );
      await this.execution.emit(manager, WorkflowEventTopic.TaskCompleted, instance, {
        taskId: task.id,
        name: task.name,
        completedBy: actor.id,
        outcome: 'rejected',
        serialNo: instance.serialNo,
      });
      return this.tasks.reply(task, step);
    });
  }

  /** Legal return targets of an open task (see the planner in the engine). */
  async returnTargets(command: GetTaskCommand): Promise<ReturnTargetReply[]> {
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id: command.taskId });
    if (!task || !maySeeTask(command.actor, task))
      throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    if (!isTaskParticipant(command.actor, task) && !seesEverything(command.actor)) this.tasks.deny(task);
    if (task.status !== 'open') return [];
    const facts = await this.planner.facts(this.dataSource.manager, task.instanceId);
    return returnTargets(facts, task.elementId).map((t) => ({ ...t }));
  }

  /** Return (退回) to an earlier completed user task; `dryRun` reports the same without changing anything. */
  returnTask(command: ReturnTaskCommand): Promise<MoveReply> {
    const operation = command.dryRun ? 'task.return.dry-run' : 'task.return';
    return this.tasks.onOpenTask<MoveReply>(command, operation, async ({ task, manager }) => {
      const { actor } = command;
      await this.requireActor(manager, actor, task, 'return');
      const facts = await this.planner.facts(manager, task.instanceId);
      const result = explainReturn(facts, task.elementId, command.targetElementId);
      if (!result.ok) {
        throw new WorkflowException(
          ErrorCode.InvalidParameter,
          WorkflowReason.IllegalMoveTarget,
          result.reason,
          [{ field: 'targetElementId', reason: result.reason }],
        );
      }
      const preview = await this.planner.preview(manager, task.instanceId, facts, result.plan);
      if (command.dryRun) return preview;
      await this.closeTask(manager, task, actor, 'returned');
      const moved = await this.planner.apply(manager, task.instanceId, result.plan, actor, [task.id]);
      await this.tasks.comment(
        manager,
        task,
        actor,
        'return',
        command.comment || `returned to ${preview.createdNodes.map((n) => n.name ?? n.elementId).join(', ')}`,
      );
      await this.execution.emit(manager, WorkflowEventTopic.TaskCompleted, null, {
        taskId: task.id,
        instanceId: task.instanceId,
        name: task.name,
        completedBy: actor.id,
        outcome: 'returned',
      });
      return { ...moved, cancelledTasks: [mapTask(task), ...moved.cancelledTasks] };
    });
  }

  /**
   * Complete + jump in one transaction: the task is finished with its data (outcome approved,
   * variables kept) and the run continues at `targetElementId` instead of the model's next node; any
   * other running branch leaves too, as with an admin jump. Admins (on any task, an intervention), or
   * the holder when `holderMayJump` (the seed-002 audit: the auditor's jump is part of the audit).
   */
  completeAndJump(command: CompleteAndJumpCommand, holderMayJump = false): Promise<TaskActionReply> {
    return this.tasks.onOpenTask(command, 'task.complete-and-jump', async ({ task, manager }) => {
      const { actor } = command;
      if (!seesEverything(actor)) {
        this.tasks.requireParticipant(actor, task);
        if (!holderMayJump) this.tasks.deny(task);
      }
      const facts = await this.planner.facts(manager, task.instanceId);
      const target = command.targetElementId;
      const result = target === task.elementId ? null : planMove(facts, target, { leaveAllTokens: true });
      if (!result?.ok) {
        const reason = result?.reason ?? `<${target}> is the task's own node: complete it instead`;
        throw new WorkflowException(ErrorCode.InvalidParameter, WorkflowReason.IllegalMoveTarget, reason, [
          { field: 'targetElementId', reason },
        ]);
      }
      await this.closeTask(manager, task, actor, 'approved', 'completed');
      const moved = await this.planner.apply(
        manager,
        task.instanceId,
        result.plan,
        actor,
        [task.id],
        command.variables,
      );
      await this.tasks.comment(manager, task, actor, 'normal', command.comment);
      await this.tasks.comment(manager, task, actor, 'jump', `completed and jumped to ${target}`, true);
      await this.tasks.copyTo(manager, task, actor, command.copyTo ?? []);
      await this.execution.emit(manager, WorkflowEventTopic.TaskCompleted, null, {
        taskId: task.id,
        instanceId: task.instanceId,
        name: task.name,
        completedBy: actor.id,
        outcome: 'approved',
      });
      return { task: mapTask(task), instanceStatus: moved.instanceStatus, createdTasks: moved.createdTasks };
    });
  }

  /** Delegate (委派): `userId` works the task and resolves it back; the caller stays its owner. */
  delegate(command: HandOverTaskCommand): Promise<TaskActionReply> {
    return this.tasks.onOpenTask(command, 'task.delegate', async ({ task, manager }) => {
      const { actor } = command;
      await this.requireActor(manager, actor, task, 'delegate');
      if (task.delegationState === 'pending') {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.AlreadyDone,
          `task ${task.id} is delegated to ${task.assigneeId} already`,
        );
      }
      this.refuseSelf(actor, command.userId);
      task.ownerId = task.assigneeId ?? actor.id;
      task.delegationState = 'pending';
      await manager.update(
        TaskEntity,
        { id: task.id },
        { ownerId: task.ownerId, delegationState: 'pending' },
      );
      await this.tasks.assign(manager, task, command.userId);
      await this.tasks.comment(
        manager,
        task,
        actor,
        'delegate',
        command.comment || `delegated to ${command.userId}`,
      );
      return this.tasks.reply(task, null);
    });
  }

  /** The delegate hands a delegated task back to its owner. */
  resolve(command: TaskCommentCommand): Promise<TaskActionReply> {
    return this.tasks.onOpenTask(command, 'task.resolve', async ({ task, manager }) => {
      const { actor } = command;
      const isDelegate = task.assigneeId !== null && identitiesOf(actor).includes(task.assigneeId);
      if (!isDelegate || task.delegationState !== 'pending') {
        if (await this.hasDone(manager, actor, task, 'delegate')) this.alreadyDone(task, 'resolved');
        if (!isTaskParticipant(actor, task)) this.tasks.deny(task);
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.NotDelegated,
          `task ${task.id} is not delegated to you`,
        );
      }
      await this.tasks.resolveDelegation(manager, task, actor, command.comment);
      return this.tasks.reply(task, null);
    });
  }

  /** Transfer (转办): the assignee changes for good (the holder or an admin). */
  transfer(command: HandOverTaskCommand): Promise<TaskActionReply> {
    return this.tasks.onOpenTask(command, 'task.transfer', async ({ task, manager }) => {
      const { actor } = command;
      if (!seesEverything(actor)) await this.requireActor(manager, actor, task, 'transfer');
      this.refuseSelf(actor, command.userId);
      task.ownerId = null;
      task.delegationState = null;
      await manager.update(TaskEntity, { id: task.id }, { ownerId: null, delegationState: null });
      await this.tasks.assign(manager, task, command.userId);
      await this.tasks.comment(
        manager,
        task,
        actor,
        'transfer',
        command.comment || `transferred to ${command.userId}`,
      );
      return this.tasks.reply(task, null);
    });
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The caller must hold (or be a candidate of) the task. Someone who already did this operation on
   * it and no longer holds it gets 4090 (the second call of a pair), anyone else 4001.
   */
  private async requireActor(
    manager: EntityManager,
    actor: Actor,
    task: TaskEntity,
    type: CommentType,
  ): Promise<void> {
    if (isTaskParticipant(actor, task)) return;
    if (await this.hasDone(manager, actor, task, type)) this.alreadyDone(task, type);
    this.tasks.deny(task);
  }

  private async hasDone(
    manager: EntityManager,
    actor: Actor,
    task: TaskEntity,
    type: CommentType,
  ): Promise<boolean> {
    return manager.getRepository(CommentEntity).existsBy({ taskId: task.id, actorId: actor.id, type });
  }

  private alreadyDone(task: TaskEntity, what: string): never {
    throw new WorkflowException(
      ErrorCode.Conflict,
      WorkflowReason.AlreadyDone,
      `you have ${what} task ${task.id} already`,
    );
  }

  private refuseSelf(actor: Actor, userId: string): void {
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
  private async closeTask(
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
    await manager.update(TaskEntity, { id: task.id }, changes);
    await manager.query(
      `UPDATE workflow.activity_history SET left_at = $3, outcome = $5, actor_id = $4
       WHERE instance_id = $1 AND execution_id = $2 AND left_at IS NULL`,
      [task.instanceId, task.executionId, now, actor.id, historyOutcome],
    );
  }
}
