import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, MoreThan, MoreThanOrEqual } from 'typeorm';
import { containsPattern } from '@app/common';
import type { Actor, FormFieldFilter } from '@app/contracts';
import {
  ActivityHistoryEntity,
  CommentEntity,
  type CommentType,
  JobEntity,
  ProcessInstanceEntity,
  TaskCopyEntity,
  TaskEntity,
  WorkOrderEntity,
} from '@app/database';
import { applyFormFilters } from '../common/form-field-filter';
import { bindTo, visibleInstancesSql } from '../common/visibility';

const ENDED = ['completed', 'rejected', 'stopped', 'discarded', 'failed'];

/** The filters of the instance list, parsed (dates read in the business time zone). */
export interface InstanceListQuery {
  actor: Actor;
  /** `started`: only the caller's own; otherwise everything the caller may see. */
  scope?: string;
  status?: string;
  finished?: boolean;
  definitionKey?: string;
  category?: string;
  processName?: string;
  businessKey?: string;
  startedFrom?: Date;
  startedTo?: Date;
  formFilters?: FormFieldFilter[];
  pageNum: number;
  pageSize: number;
}

/** `tree(id)`: the instance `$1` and every run its call activities started, at any depth. */
const RUN_TREE = `WITH RECURSIVE tree AS (SELECT $1::bigint AS id
  UNION ALL SELECT p.id FROM workflow.process_instance p JOIN tree ON p.parent_instance_id = tree.id)`;

/** Instance rows and what hangs on one instance (its tasks, history, comments). */
@Injectable()
export class InstancesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The instance if the actor may see it (the one visibility rule), else null. */
  findVisible(
    actor: Actor,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProcessInstanceEntity | null> {
    const qb = manager
      .getRepository(ProcessInstanceEntity)
      .createQueryBuilder('i')
      .where('i.id = :id', { id });
    const visible = visibleInstancesSql(actor, 'i', bindTo(qb));
    if (visible) qb.andWhere(visible);
    return qb.getOne();
  }

  isVisible(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const qb = manager
      .getRepository(ProcessInstanceEntity)
      .createQueryBuilder('i')
      .where('i.id = :id', { id });
    const visible = visibleInstancesSql(actor, 'i', bindTo(qb));
    if (visible) qb.andWhere(visible);
    return qb.getExists();
  }

  async page(query: InstanceListQuery): Promise<[ProcessInstanceEntity[], number]> {
    const qb = this.dataSource.getRepository(ProcessInstanceEntity).createQueryBuilder('i');
    if (query.scope === 'started') qb.andWhere('i.initiator_id = :me', { me: query.actor.id });
    else {
      const visible = visibleInstancesSql(query.actor, 'i', bindTo(qb));
      if (visible) qb.andWhere(visible);
    }
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.finished === true) qb.andWhere('i.status IN (:...ended)', { ended: ENDED });
    if (query.finished === false) qb.andWhere(`i.status = 'running'`);
    if (query.definitionKey) qb.andWhere('i.definition_key = :key', { key: query.definitionKey });
    if (query.category) qb.andWhere('i.category = :category', { category: query.category });
    if (query.processName)
      qb.andWhere('i.process_name ILIKE :pn', { pn: containsPattern(query.processName) });
    if (query.businessKey) qb.andWhere('i.business_key = :bk', { bk: query.businessKey });
    if (query.startedFrom) qb.andWhere('i.started_at >= :from', { from: query.startedFrom });
    if (query.startedTo) qb.andWhere('i.started_at <= :to', { to: query.startedTo });
    applyFormFilters(qb, 'i.variables', query.formFilters);
    return qb
      .orderBy('i.started_at', 'DESC')
      .addOrderBy('i.id', 'DESC')
      .skip((query.pageNum - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
  }

  /** Names of the open tasks, per instance (the "current node" of a list row). */
  async currentNodeNames(ids: string[]): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>();
    if (ids.length === 0) return result;
    const rows: { instance_id: string; names: string[] }[] = await this.dataSource.query(
      `SELECT instance_id, array_agg(DISTINCT name) AS names FROM workflow.task WHERE status = 'open' AND instance_id = ANY($1::bigint[]) GROUP BY instance_id`,
      [ids],
    );
    for (const row of rows) result.set(String(row.instance_id), row.names);
    return result;
  }

  findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProcessInstanceEntity | null> {
    return manager.findOneBy(ProcessInstanceEntity, { id });
  }

  /** The instance row locked for the rest of the transaction. */
  findForUpdate(manager: EntityManager, id: string): Promise<ProcessInstanceEntity | null> {
    return manager.findOne(ProcessInstanceEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findRelaunchOf(manager: EntityManager, id: string): Promise<ProcessInstanceEntity | null> {
    return manager.getRepository(ProcessInstanceEntity).findOneBy({ relaunchedFromId: id });
  }

  /** Open tasks of an instance (of one node when `elementId` is given), in creation order. */
  openTasks(
    instanceId: string,
    manager: EntityManager = this.dataSource.manager,
    elementId?: string,
  ): Promise<TaskEntity[]> {
    return manager.find(TaskEntity, {
      where: { instanceId, status: 'open', ...(elementId ? { elementId } : {}) },
      order: { id: 'ASC' },
    });
  }

  /** Open tasks of several instances (an instance and its call-activity children), in creation order. */
  openTasksOf(manager: EntityManager, instanceIds: string[]): Promise<TaskEntity[]> {
    return manager.find(TaskEntity, {
      where: { instanceId: In(instanceIds), status: 'open' },
      order: { id: 'ASC' },
    });
  }

  /** The completion a revoke would take back: the instance's most recently completed task. */
  lastCompletedTask(manager: EntityManager, instanceId: string): Promise<TaskEntity | null> {
    return manager.findOne(TaskEntity, {
      where: { instanceId, status: 'completed' },
      order: { endedAt: 'DESC', id: 'DESC' },
    });
  }

  hasHandledTaskOf(manager: EntityManager, instanceId: string, actorId: string): Promise<boolean> {
    return manager.existsBy(TaskEntity, { instanceId, endedBy: actorId });
  }

  openTasksCreatedSince(manager: EntityManager, instanceId: string, since: Date): Promise<TaskEntity[]> {
    return manager.findBy(TaskEntity, { instanceId, status: 'open', createdAt: MoreThanOrEqual(since) });
  }

  /** Whether anyone commented on (acted on) one of these tasks. */
  anyTaskTouched(manager: EntityManager, taskIds: string[]): Promise<boolean> {
    return manager.existsBy(CommentEntity, { taskId: In(taskIds.length > 0 ? taskIds : ['0']) });
  }

  markRevoked(manager: EntityManager, taskId: string): Promise<unknown> {
    return manager.update(TaskEntity, { id: taskId }, { outcome: 'revoked' });
  }

  history(
    instanceId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ActivityHistoryEntity[]> {
    return manager.find(ActivityHistoryEntity, { where: { instanceId }, order: { id: 'ASC' } });
  }

  comments(instanceId: string): Promise<CommentEntity[]> {
    return this.dataSource.manager.find(CommentEntity, { where: { instanceId }, order: { id: 'ASC' } });
  }

  /** The latest comment of `type` since `since`, if any (the urge interval). */
  latestCommentSince(
    manager: EntityManager,
    instanceId: string,
    type: CommentType,
    since: Date,
  ): Promise<CommentEntity | null> {
    return manager.findOne(CommentEntity, {
      where: { instanceId, type, createdAt: MoreThan(since) },
      order: { createdAt: 'DESC' },
    });
  }

  async addComment(
    manager: EntityManager,
    comment: {
      instanceId: string;
      taskId: string | null;
      type: CommentType;
      actorId: string;
      message: string;
    },
  ): Promise<void> {
    await manager.insert(CommentEntity, comment);
  }

  /** A rejected run discarded: nothing runs any more, only the status and version change. */
  async markDiscarded(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE workflow.process_instance SET status = 'discarded', version = version + 1, updated_at = now() WHERE id = $1`,
      [id],
    );
  }

  /**
   * UrgeRule.allows in one statement: no urge comment after `since`, and a task open on the instance
   * or on one of its call-activity descendants (what the urge command reads in three).
   */
  async urgeable(manager: EntityManager, instanceId: string, since: Date): Promise<boolean> {
    const [row] = (await manager.query(
      `${RUN_TREE}
       SELECT NOT EXISTS (SELECT 1 FROM workflow.comment c
                          WHERE c.instance_id = $1 AND c.type = 'urge' AND c.created_at > $2)
          AND EXISTS (SELECT 1 FROM workflow.task t JOIN tree ON t.instance_id = tree.id WHERE t.status = 'open')
          AS urgeable`,
      [instanceId, since],
    )) as { urgeable: boolean }[];
    return row?.urgeable === true;
  }

  /** The instance and every run its call activities started, at any depth (RUN_TREE). */
  async runTree(manager: EntityManager, id: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(`${RUN_TREE} SELECT id FROM tree`, [id]);
    return rows.map((r) => String(r.id));
  }

  /** Removes the instances' runtime data (tasks, history, comments, jobs, copies) and the instances. */
  async deleteRuntime(manager: EntityManager, ids: string[]): Promise<void> {
    for (const entity of [TaskCopyEntity, CommentEntity, ActivityHistoryEntity, TaskEntity, JobEntity])
      await manager.delete(entity, { instanceId: In(ids) });
    await manager.delete(ProcessInstanceEntity, { id: In(ids) });
  }

  /** A work order follows its process: it moves to the relaunched run. */
  async moveWorkOrders(manager: EntityManager, fromInstanceId: string, toInstanceId: string): Promise<void> {
    await manager.update(WorkOrderEntity, { instanceId: fromInstanceId }, { instanceId: toInstanceId });
  }
}
