import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  type Actor,
  type CompleteTaskCommand,
  ErrorCode,
  type GetTaskCommand,
  type ListTasksCommand,
  type PageReply,
  type TaskActionReply,
  type TaskRefCommand,
  type TaskReply,
  WorkflowEventTopic,
} from '@app/contracts';
import { parseClientDateTime } from '@app/common';
import { CommentEntity, type CommentType, TaskCopyEntity, TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf } from '../common/candidate-keys';
import { isTaskParticipant, maySeeTask, seesEverything } from '../common/visibility';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { WorkflowEnv } from '../config/workflow.env';
import { escapeLike } from '../definitions/definitions.repository';
import { ExecutionService, type StepResult } from '../execution/execution.service';
import { onceForKey } from '../execution/idempotency';
import { mapTask } from './task.mapper';

export interface LockedTask {
  task: TaskEntity;
  manager: EntityManager;
}

@Injectable()
export class TasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly execution: ExecutionService,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async list(command: ListTasksCommand): Promise<PageReply<TaskReply>> {
    const { actor } = command;
    const qb = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t');
    switch (command.scope) {
      case 'todo':
        qb.where(
          `t.status = 'open' AND (t.assignee_id IN (:...ids) OR (t.assignee_id IS NULL AND t.candidates && :keys))`,
        );
        break;
      case 'claimable':
        qb.where(`t.status = 'open' AND t.assignee_id IS NULL AND t.candidates && :keys`);
        break;
      case 'done':
        qb.where(`t.status = 'completed' AND t.ended_by = :me`);
        break;
      case 'copied':
        qb.where(`t.id IN (SELECT c.task_id FROM workflow.task_copy c WHERE c.user_id IN (:...ids))`);
        break;
    }
    qb.setParameters({ me: actor.id, ids: identitiesOf(actor), keys: candidateKeysOfActor(actor) });
    if (command.assignedOnly) qb.andWhere('t.assignee_id IN (:...ids)');
    if (command.processName)
      qb.andWhere('t.process_name ILIKE :pn', { pn: `%${escapeLike(command.processName)}%` });
    if (command.processKey) qb.andWhere('t.definition_key = :pk', { pk: command.processKey });
    if (command.category) qb.andWhere('t.category = :cat', { cat: command.category });
    if (command.instanceId) qb.andWhere('t.instance_id = :iid', { iid: command.instanceId });
    const tz = this.config.TZ_BUSINESS;
    if (command.startedFrom)
      qb.andWhere('t.instance_started_at >= :from', {
        from: parseClientDateTime(command.startedFrom, tz, 'beginTime'),
      });
    if (command.startedTo)
      qb.andWhere('t.instance_started_at <= :to', {
        to: parseClientDateTime(command.startedTo, tz, 'endTime'),
      });
    qb.orderBy(command.scope === 'done' ? 't.ended_at' : 't.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .skip((command.pageNum - 1) * command.pageSize)
      .take(command.pageSize);
    const [rows, total] = await qb.getManyAndCount();
    return { total, pageNum: command.pageNum, pageSize: command.pageSize, rows: rows.map(mapTask) };
  }

  async get(command: GetTaskCommand): Promise<TaskReply> {
    const task = await this.dataSource.getRepository(TaskEntity).findOneBy({ id: command.taskId });
    if (!task || !maySeeTask(command.actor, task))
      throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    return mapTask(task);
  }

  /** Takes an unclaimed task (4090 if someone else holds it; claiming one's own task again is a no-op). */
  claim(command: TaskRefCommand): Promise<TaskActionReply> {
    return this.onOpenTask(command, 'task.claim', async ({ task, manager }) => {
      const { actor } = command;
      if (task.assigneeId && !identitiesOf(actor).includes(task.assigneeId)) {
        throw new WorkflowException(
          ErrorCode.Conflict,
          WorkflowReason.TaskClaimedByOther,
          `task ${task.id} is held by someone else`,
        );
      }
      if (!task.assigneeId) {
        this.requireParticipant(actor, task);
        await this.assign(manager, task, actor.id);
      }
      return this.reply(task, null);
    });
  }

  /** Gives a claimed task back to its candidates. */
  unclaim(command: TaskRefCommand): Promise<TaskActionReply> {
    return this.onOpenTask(command, 'task.unclaim', async ({ task, manager }) => {
      if (!identitiesOf(command.actor).includes(task.assigneeId ?? '') && !seesEverything(command.actor))
        this.deny(task);
      if (task.candidates.length === 0) {
        throw new WorkflowException(
          ErrorCode.WrongCall,
          WorkflowReason.NotTaskParticipant,
          `task ${task.id} has no candidates to give it back to`,
        );
      }
      task.assigneeId = null;
      task.claimedAt = null;
      await manager.update(TaskEntity, { id: task.id }, { assigneeId: null, claimedAt: null });
      await this.bumpInstance(manager, task);
      return this.reply(task, null);
    });
  }

  /** Approves with a comment and variables; a candidate completing an unclaimed task claims it implicitly. */
  complete(command: CompleteTaskCommand): Promise<TaskActionReply> {
    return this.onOpenTask(command, 'task.complete', async ({ task, manager }) => {
      const { actor } = command;
      this.requireParticipant(actor, task);
      // DESIGN §4: a delegated task completed by the delegate is resolved back to its owner instead
      if (task.delegationState === 'pending' && task.ownerId !== actor.id) {
        await this.resolveDelegation(manager, task, actor, command.comment);
        return this.reply(task, null);
      }
      const step = await this.finish(manager, task, actor, 'approved', command.variables);
      await this.comment(manager, task, actor, 'normal', command.comment);
      await this.copyTo(manager, task, actor, command.copyTo ?? []);
      await this.applyNextAssignees(manager, step, command.nextAssignees ?? {});
      return this.reply(task, step);
    });
  }

  /** The delegate hands the task back to its owner (Flowable resolveTask), who then completes it. */
  async resolveDelegation(
    manager: EntityManager,
    task: TaskEntity,
    actor: Actor,
    message: string | undefined,
  ): Promise<void> {
    const owner = task.ownerId!;
    task.delegationState = 'resolved';
    await manager.update(TaskEntity, { id: task.id }, { delegationState: 'resolved' });
    await this.assign(manager, task, owner);
    await this.comment(manager, task, actor, 'delegate', message ?? `resolved back to ${owner}`, true);
  }

  /** Copy-to (抄送): the users see the task in "copied to me" and may read its instance. */
  async copyTo(manager: EntityManager, task: TaskEntity, actor: Actor, userIds: string[]): Promise<void> {
    const users = [...new Set(userIds)];
    if (users.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(TaskCopyEntity)
      .values(
        users.map((userId) => ({ instanceId: task.instanceId, taskId: task.id, userId, copiedBy: actor.id })),
      )
      .orIgnore()
      .execute();
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
  private async applyNextAssignees(
    manager: EntityManager,
    step: StepResult,
    chosen: Record<string, string[]>,
  ): Promise<void> {
    for (const task of step.createdTasks) {
      const users = chosen[task.elementId];
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
        task.candidates = valid.map((u) => `user:${u}`);
        await manager.update(
          TaskEntity,
          { id: task.id },
          { assigneeId: null, claimedAt: null, candidates: task.candidates },
        );
      }
    }
  }

  /**
   * The frame of every task command: idempotency, the instance lock, then the task re-read under it
   * (404 unknown, 4090 no longer open). Other task operations are one more call of this.
   */
  async onOpenTask<R = TaskActionReply>(
    command: TaskRefCommand,
    operation: string,
    work: (locked: LockedTask) => Promise<R>,
  ): Promise<R> {
    const { actor, idempotencyKey, ...request } = command;
    const probe = await this.dataSource.getRepository(TaskEntity).findOneBy({ id: command.taskId });
    if (!probe) throw WorkflowException.missing(WorkflowReason.TaskNotFound, 'task', command.taskId);
    return this.execution.transaction((manager) =>
      onceForKey(manager, `${actor.id}:${operation}`, idempotencyKey, request, async () => {
        await this.execution.lockInstance(manager, probe.instanceId);
        const task = await manager.getRepository(TaskEntity).findOneByOrFail({ id: command.taskId });
        if (task.status !== 'open') {
          if (!maySeeTask(actor, task)) this.deny(task);
          throw new WorkflowException(
            ErrorCode.Conflict,
            WorkflowReason.TaskAlreadyHandled,
            `task ${task.id} is already ${task.status}`,
          );
        }
        return work({ task, manager });
      }),
    );
  }

  /** Marks the task done by `actor` and moves the engine on past it. */
  async finish(
    manager: EntityManager,
    task: TaskEntity,
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
    await manager.update(
      TaskEntity,
      { id: task.id },
      {
        status: 'completed',
        outcome,
        endedAt: now,
        endedBy: actor.id,
        assigneeId: task.assigneeId,
        claimedAt,
      },
    );
    const instance = await this.execution.lockInstance(manager, task.instanceId);
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

  async assign(manager: EntityManager, task: TaskEntity, assigneeId: string): Promise<void> {
    task.assigneeId = assigneeId;
    task.claimedAt = new Date();
    await manager.update(TaskEntity, { id: task.id }, { assigneeId, claimedAt: task.claimedAt });
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
    await manager.insert(CommentEntity, {
      instanceId: task.instanceId,
      taskId: task.id,
      type,
      actorId: actor.id,
      message: message ?? '',
    });
  }

  requireParticipant(actor: Actor, task: TaskEntity): void {
    if (!isTaskParticipant(actor, task)) this.deny(task);
  }

  deny(task: TaskEntity): never {
    throw new WorkflowException(
      ErrorCode.NoPermission,
      WorkflowReason.NotTaskParticipant,
      `you are not a participant of task ${task.id}`,
    );
  }

  /** Task-only changes still bump the instance version: readers can tell the instance moved. */
  async bumpInstance(manager: EntityManager, task: TaskEntity): Promise<string> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ serial_no: string }[], number] = await manager.query(
      `UPDATE workflow.process_instance SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING serial_no`,
      [task.instanceId],
    );
    return rows[0]?.serial_no ?? '';
  }

  reply(task: TaskEntity, step: StepResult | null): TaskActionReply {
    return {
      task: mapTask(task),
      instanceStatus: step?.instance.status ?? 'running',
      createdTasks: (step?.createdTasks ?? []).map(mapTask),
    };
  }
}
