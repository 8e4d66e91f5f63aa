import { Injectable } from '@nestjs/common';
import {
  type CompleteAndJumpCommand,
  type CompleteTaskCommand,
  ErrorCode,
  type HandOverTaskCommand,
  type MoveReply,
  type ReturnTaskCommand,
  type TaskActionReply,
  type TaskCommentCommand,
  type TaskRefCommand,
  WorkflowEventTopic,
} from '@app/contracts';
import type { EntityManager } from 'typeorm';
import { identitiesOf } from '../../common/candidate-keys';
import { isTaskParticipant, seesEverything } from '../../common/visibility';
import { WorkflowException, WorkflowReason } from '../../common/workflow.exception';
import { explainReturn, planMove } from '../../engine';
import { ExecutionService } from '../../execution/execution.service';
import { MovePlanner } from '../../execution/move-planner.service';
import { FormsService } from '../../forms/forms.service';
import { mapTask } from '../task.mapper';
import { TasksRepository } from '../tasks.repository';
import { TaskSteps } from './task-steps.service';

/**
 * Commands on an open task: claim / unclaim, complete, complete-and-jump, reject (驳回), return (退回),
 * delegate / resolve (委派), transfer (转办) — each one more call of `onOpenTask`.
 */
@Injectable()
export class TaskCommandsService {
  constructor(
    private readonly steps: TaskSteps,
    private readonly tasks: TasksRepository,
    private readonly execution: ExecutionService,
    private readonly planner: MovePlanner,
    private readonly forms: FormsService,
  ) {}

  /** Takes an unclaimed task (4090 if someone else holds it; claiming one's own task again is a no-op). */
  claim(command: TaskRefCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.claim', async ({ task, manager }) => {
      const { actor } = command;
      if (task.assigneeId && !identitiesOf(actor).includes(task.assigneeId)) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.TaskClaimedByOther,
          `task ${task.id} is held by someone else`,
        );
      }
      if (!task.assigneeId) {
        this.steps.requireParticipant(actor, task);
        await this.steps.assign(manager, task, actor.id);
      }
      return this.steps.reply(task, null);
    });
  }

  /** Gives a claimed task back to its candidates. */
  unclaim(command: TaskRefCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.unclaim', async ({ task, manager }) => {
      if (!identitiesOf(command.actor).includes(task.assigneeId ?? '') && !seesEverything(command.actor))
        this.steps.deny(task);
      if (task.candidates.length === 0) {
        throw new WorkflowException(
          ErrorCode.WrongCall,
          WorkflowReason.NotTaskParticipant,
          `task ${task.id} has no candidates to give it back to`,
        );
      }
      task.assigneeId = null;
      task.claimedAt = null;
      await this.tasks.update(manager, task.id, { assigneeId: null, claimedAt: null });
      await this.steps.bumpInstance(manager, task);
      return this.steps.reply(task, null);
    });
  }

  /** Approves with a comment and variables; a candidate completing an unclaimed task claims it implicitly. */
  complete(command: CompleteTaskCommand, within?: EntityManager): Promise<TaskActionReply> {
    return this.steps.onOpenTask(
      command,
      'task.complete',
      async ({ task, manager, instance }) => {
        const { actor } = command;
        this.steps.requireParticipant(actor, task);
        // DESIGN §4: a delegated task completed by the delegate is resolved back to its owner instead
        if (task.delegationState === 'pending' && task.ownerId !== actor.id) {
          await this.steps.resolveDelegation(manager, task, actor, command.comment);
          return this.steps.reply(task, null);
        }
        await this.forms.checkTaskCompletion(manager, task, command.variables ?? {});
        const step = await this.steps.finish(manager, task, instance, actor, 'approved', command.variables);
        await this.steps.comment(manager, task, actor, 'normal', command.comment);
        await this.steps.copyTo(manager, task, actor, command.copyTo ?? []);
        await this.steps.applyNextAssignees(manager, step, command.nextAssignees ?? {});
        return this.steps.reply(task, step);
      },
      within,
    );
  }

  /** Ends the instance as `rejected`; the initiator may relaunch it. */
  reject(command: TaskCommentCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.reject', async ({ task, manager }) => {
      const { actor } = command;
      await this.steps.requireActor(manager, actor, task, 'reject');
      await this.steps.closeTask(manager, task, actor, 'rejected');
      await this.steps.comment(manager, task, actor, 'reject', command.comment ?? '', true);
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
      return this.steps.reply(task, step);
    });
  }

  /** Return (退回) to an earlier completed user task; `dryRun` reports the same without changing anything. */
  returnTask(command: ReturnTaskCommand): Promise<MoveReply> {
    const operation = command.dryRun ? 'task.return.dry-run' : 'task.return';
    return this.steps.onOpenTask<MoveReply>(command, operation, async ({ task, manager }) => {
      const { actor } = command;
      await this.steps.requireActor(manager, actor, task, 'return');
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
      await this.steps.closeTask(manager, task, actor, 'returned');
      const moved = await this.planner.apply(manager, task.instanceId, result.plan, actor, [task.id]);
      await this.steps.comment(
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
  completeAndJump(
    command: CompleteAndJumpCommand,
    holderMayJump = false,
    within?: EntityManager,
  ): Promise<TaskActionReply> {
    return this.steps.onOpenTask(
      command,
      'task.complete-and-jump',
      async ({ task, manager }) => {
        const { actor } = command;
        if (!seesEverything(actor)) {
          this.steps.requireParticipant(actor, task);
          if (!holderMayJump) this.steps.deny(task);
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
        await this.steps.closeTask(manager, task, actor, 'approved', 'completed');
        const moved = await this.planner.apply(
          manager,
          task.instanceId,
          result.plan,
          actor,
          [task.id],
          command.variables,
        );
        await this.steps.comment(manager, task, actor, 'normal', command.comment);
        await this.steps.comment(manager, task, actor, 'jump', `completed and jumped to ${target}`, true);
        await this.steps.copyTo(manager, task, actor, command.copyTo ?? []);
        await this.execution.emit(manager, WorkflowEventTopic.TaskCompleted, null, {
          taskId: task.id,
          instanceId: task.instanceId,
          name: task.name,
          completedBy: actor.id,
          outcome: 'approved',
        });
        return {
          task: mapTask(task),
          instanceStatus: moved.instanceStatus,
          createdTasks: moved.createdTasks,
        };
      },
      within,
    );
  }

  /** Delegate (委派): `userId` works the task and resolves it back; the caller stays its owner. */
  delegate(command: HandOverTaskCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.delegate', async ({ task, manager }) => {
      const { actor } = command;
      await this.steps.requireActor(manager, actor, task, 'delegate');
      if (task.delegationState === 'pending') {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.AlreadyDone,
          `task ${task.id} is delegated to ${task.assigneeId} already`,
        );
      }
      this.steps.refuseSelf(actor, command.userId);
      task.ownerId = task.assigneeId ?? actor.id;
      task.delegationState = 'pending';
      await this.tasks.update(manager, task.id, { ownerId: task.ownerId, delegationState: 'pending' });
      await this.steps.assign(manager, task, command.userId);
      await this.steps.comment(
        manager,
        task,
        actor,
        'delegate',
        command.comment || `delegated to ${command.userId}`,
      );
      return this.steps.reply(task, null);
    });
  }

  /** The delegate hands a delegated task back to its owner. */
  resolve(command: TaskCommentCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.resolve', async ({ task, manager }) => {
      const { actor } = command;
      const isDelegate = task.assigneeId !== null && identitiesOf(actor).includes(task.assigneeId);
      if (!isDelegate || task.delegationState !== 'pending') {
        if (await this.steps.hasDone(manager, actor, task, 'delegate'))
          this.steps.alreadyDone(task, 'resolved');
        if (!isTaskParticipant(actor, task)) this.steps.deny(task);
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.NotDelegated,
          `task ${task.id} is not delegated to you`,
        );
      }
      await this.steps.resolveDelegation(manager, task, actor, command.comment);
      return this.steps.reply(task, null);
    });
  }

  /** Transfer (转办): the assignee changes for good (the holder or an admin). */
  transfer(command: HandOverTaskCommand): Promise<TaskActionReply> {
    return this.steps.onOpenTask(command, 'task.transfer', async ({ task, manager }) => {
      const { actor } = command;
      if (!seesEverything(actor)) await this.steps.requireActor(manager, actor, task, 'transfer');
      this.steps.refuseSelf(actor, command.userId);
      task.ownerId = null;
      task.delegationState = null;
      await this.tasks.update(manager, task.id, { ownerId: null, delegationState: null });
      await this.steps.assign(manager, task, command.userId);
      await this.steps.comment(
        manager,
        task,
        actor,
        'transfer',
        command.comment || `transferred to ${command.userId}`,
      );
      return this.steps.reply(task, null);
    });
  }
}
