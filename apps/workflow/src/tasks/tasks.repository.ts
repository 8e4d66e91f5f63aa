import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { containsPattern } from '@app/common';
import type { Actor, TaskScope } from '@app/contracts';
import { CommentEntity, type CommentType, TaskCopyEntity, TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf } from '../common/candidate-keys';

/** The filters of the task lists, parsed (dates read in the business time zone). */
export interface TaskListQuery {
  actor: Actor;
  scope: TaskScope;
  assignedOnly?: boolean;
  processName?: string;
  processKey?: string;
  category?: string;
  instanceId?: string;
  startedFrom?: Date;
  startedTo?: Date;
  pageNum: number;
  pageSize: number;
}

export type TaskChanges = Partial<
  Pick<
    TaskEntity,
    | 'assigneeId'
    | 'claimedAt'
    | 'candidates'
    | 'ownerId'
    | 'delegationState'
    | 'status'
    | 'outcome'
    | 'endedAt'
    | 'endedBy'
  >
>;

/** Task rows, their copies (抄送) and the comments left on them. */
@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOneBy(TaskEntity, { id });
  }

  /** The personal lists: todo (held or claimable), claimable, done by me, copied to me. */
  page(query: TaskListQuery): Promise<[TaskEntity[], number]> {
    const { actor } = query;
    const qb = this.dataSource.getRepository(TaskEntity).createQueryBuilder('t');
    switch (query.scope) {
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
    if (query.assignedOnly) qb.andWhere('t.assignee_id IN (:...ids)');
    if (query.processName)
      qb.andWhere('t.process_name ILIKE :pn', { pn: containsPattern(query.processName) });
    if (query.processKey) qb.andWhere('t.definition_key = :pk', { pk: query.processKey });
    if (query.category) qb.andWhere('t.category = :cat', { cat: query.category });
    if (query.instanceId) qb.andWhere('t.instance_id = :iid', { iid: query.instanceId });
    if (query.startedFrom) qb.andWhere('t.instance_started_at >= :from', { from: query.startedFrom });
    if (query.startedTo) qb.andWhere('t.instance_started_at <= :to', { to: query.startedTo });
    return qb
      .orderBy(query.scope === 'done' ? 't.ended_at' : 't.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .skip((query.pageNum - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
  }

  async update(manager: EntityManager, id: string, changes: TaskChanges): Promise<void> {
    await manager.update(TaskEntity, { id }, changes);
  }

  /** Copy-to rows; a user copied twice on one task keeps one row. */
  async addCopies(
    manager: EntityManager,
    task: Pick<TaskEntity, 'id' | 'instanceId'>,
    userIds: string[],
    copiedBy: string,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(TaskCopyEntity)
      .values(userIds.map((userId) => ({ instanceId: task.instanceId, taskId: task.id, userId, copiedBy })))
      .orIgnore()
      .execute();
  }

  async addComment(
    manager: EntityManager,
    task: Pick<TaskEntity, 'id' | 'instanceId'>,
    actorId: string,
    type: CommentType,
    message: string,
  ): Promise<void> {
    await manager.insert(CommentEntity, {
      instanceId: task.instanceId,
      taskId: task.id,
      type,
      actorId,
      message,
    });
  }

  /** Whether the actor left a comment (of `type`, or any) on the task. */
  hasCommented(
    taskId: string,
    actorId: string,
    type?: CommentType,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    return manager.existsBy(CommentEntity, { taskId, actorId, ...(type ? { type } : {}) });
  }

  /** Ends the open history row of the task's execution. */
  async closeHistory(
    manager: EntityManager,
    task: Pick<TaskEntity, 'instanceId' | 'executionId'>,
    at: Date,
    actorId: string,
    outcome: string,
  ): Promise<void> {
    await manager.query(
      `UPDATE workflow.activity_history SET left_at = $3, outcome = $5, actor_id = $4
       WHERE instance_id = $1 AND execution_id = $2 AND left_at IS NULL`,
      [task.instanceId, task.executionId, at, actorId, outcome],
    );
  }

  /** Task-only changes still bump the instance's version; answers its serial number. */
  async bumpInstance(manager: EntityManager, instanceId: string): Promise<string> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ serial_no: string }[], number] = await manager.query(
      `UPDATE workflow.process_instance SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING serial_no`,
      [instanceId],
    );
    return rows[0]?.serial_no ?? '';
  }
}
