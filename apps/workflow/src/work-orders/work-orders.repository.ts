import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { containsPattern } from '@app/common';
import type { Actor, FormFieldFilter } from '@app/contracts';
import {
  ActivityHistoryEntity,
  CommentEntity,
  ProcessInstanceEntity,
  TaskEntity,
  WorkOrderCategoryEntity,
  WorkOrderEntity,
  WorkOrderTypeEntity,
} from '@app/database';
import { applyFormFilters } from '../common/form-field-filter';
import { bindTo, visibleWorkOrdersSql } from '../common/visibility';
import { WORK_ORDER_STATUS_SQL } from './work-order.mapper';

/** The filters of the work-order list, parsed (`createdTo` exclusive). */
export interface WorkOrderListQuery {
  actor: Actor;
  scope?: string;
  status?: string;
  categoryId?: string;
  typeId?: string;
  systemId?: string;
  projectId?: string;
  definitionKey?: string;
  instanceId?: string;
  keyword?: string;
  createdFrom?: Date;
  createdTo?: Date;
  formFilters?: FormFieldFilter[];
  pageNum: number;
  pageSize: number;
}

export type NewWorkOrder = Omit<
  WorkOrderEntity,
  'id' | 'createdAt' | 'updatedAt' | 'closedAt' | 'closeReason' | 'evaluationScore' | 'evaluation'
>;

/** Work-order rows and the instance rows a work order reads (status, tasks, history, comments). */
@Injectable()
export class WorkOrdersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of the work orders the actor may see (the one visibility rule), with their instance's status. */
  async page(
    query: WorkOrderListQuery,
  ): Promise<{ rows: { order: WorkOrderEntity; instanceStatus: string | null }[]; total: number }> {
    const { actor } = query;
    const qb = this.dataSource
      .getRepository(WorkOrderEntity)
      .createQueryBuilder('w')
      .leftJoin(ProcessInstanceEntity, 'i', 'i.id = w.instance_id')
      .addSelect('i.status', 'instance_status');
    if (query.scope === 'mine') qb.andWhere('w.created_by = :me', { me: actor.id });
    else if (query.scope === 'handled')
      qb.andWhere(
        `EXISTS (SELECT 1 FROM workflow.task ht WHERE ht.instance_id = w.instance_id AND ht.ended_by = CAST(:me AS varchar))`,
        { me: actor.id },
      );
    const visible = visibleWorkOrdersSql(actor, 'w', bindTo(qb));
    if (visible) qb.andWhere(visible);
    if (query.status) qb.andWhere(`(${WORK_ORDER_STATUS_SQL}) = :status`, { status: query.status });
    if (query.categoryId) qb.andWhere('w.category_id = :cat', { cat: query.categoryId });
    if (query.typeId) qb.andWhere('w.type_id = :type', { type: query.typeId });
    if (query.systemId) qb.andWhere('w.system_id = :sys', { sys: query.systemId });
    if (query.projectId) qb.andWhere('w.project_id = :proj', { proj: query.projectId });
    if (query.definitionKey) qb.andWhere('w.definition_key = :dk', { dk: query.definitionKey });
    if (query.instanceId) qb.andWhere('w.instance_id = :inst', { inst: query.instanceId });
    if (query.keyword)
      qb.andWhere('(w.number ILIKE :kw OR w.title ILIKE :kw)', { kw: containsPattern(query.keyword) });
    if (query.createdFrom) qb.andWhere('w.created_at >= :from', { from: query.createdFrom });
    if (query.createdTo) qb.andWhere('w.created_at < :to', { to: query.createdTo });
    applyFormFilters(qb, 'w.form_data', query.formFilters);
    qb.orderBy('w.created_at', 'DESC').addOrderBy('w.id', 'DESC');
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .offset((query.pageNum - 1) * query.pageSize)
      .limit(query.pageSize)
      .getRawAndEntities<{ instance_status: string | null }>();
    return {
      total,
      rows: entities.map((order, i) => ({ order, instanceStatus: raw[i]?.instance_status ?? null })),
    };
  }

  /** The work order if the actor may see it (the one visibility rule), else null. */
  findVisible(
    actor: Actor,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<WorkOrderEntity | null> {
    const qb = manager.getRepository(WorkOrderEntity).createQueryBuilder('w').where('w.id = :id', { id });
    const visible = visibleWorkOrdersSql(actor, 'w', bindTo(qb));
    if (visible) qb.andWhere(visible);
    return qb.getOne();
  }

  /** The work order locked for the rest of the transaction. */
  findForUpdate(manager: EntityManager, id: string): Promise<WorkOrderEntity | null> {
    return manager
      .getRepository(WorkOrderEntity)
      .createQueryBuilder('w')
      .setLock('pessimistic_write')
      .where('w.id = :id', { id })
      .getOne();
  }

  findByNumber(manager: EntityManager, number: string): Promise<WorkOrderEntity | null> {
    return manager.findOneBy(WorkOrderEntity, { number });
  }

  isInstanceBound(manager: EntityManager, instanceId: string): Promise<boolean> {
    return manager.existsBy(WorkOrderEntity, { instanceId });
  }

  byInstances(ids: string[]): Promise<WorkOrderEntity[]> {
    return ids.length
      ? this.dataSource.manager.findBy(WorkOrderEntity, { instanceId: In(ids) })
      : Promise.resolve([]);
  }

  async insert(manager: EntityManager, order: NewWorkOrder): Promise<WorkOrderEntity> {
    const repo = manager.getRepository(WorkOrderEntity);
    return repo.save(repo.create(order));
  }

  async update(
    manager: EntityManager,
    id: string,
    changes: Partial<Pick<WorkOrderEntity, 'number' | 'instanceId' | 'definitionKey' | 'formData'>>,
  ): Promise<void> {
    await manager.update(WorkOrderEntity, { id }, changes as never);
  }

  /** Closes an open work order; false when it was closed already (of two closes, the second). */
  async close(manager: EntityManager, id: string, reason: string | undefined): Promise<boolean> {
    const result = await manager
      .getRepository(WorkOrderEntity)
      .update({ id, closedAt: IsNull() }, { closedAt: new Date(), closeReason: reason });
    return Boolean(result.affected);
  }

  /** Records the evaluation once; false when it was evaluated already. */
  async evaluate(id: string, score: number, comment: string | null): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(WorkOrderEntity)
      .createQueryBuilder()
      .update()
      .set({ evaluationScore: score, evaluation: comment })
      .where('id = :id AND evaluation_score IS NULL', { id })
      .execute();
    return Boolean(result.affected);
  }

  async mergeFormData(manager: EntityManager, id: string, data: Record<string, unknown>): Promise<void> {
    await manager.query(`UPDATE workflow.work_order SET form_data = form_data || $2::jsonb WHERE id = $1`, [
      id,
      JSON.stringify(data),
    ]);
  }

  /**
   * The type a new work order names, held shared until the order commits: a delete of the type
   * (ClassificationRepository.lockTypeForDelete) waits for it and then sees the order, or went first
   * and the type is gone here.
   */
  findType(manager: EntityManager, id: string): Promise<WorkOrderTypeEntity | null> {
    return manager.findOne(WorkOrderTypeEntity, { where: { id }, lock: { mode: 'pessimistic_read' } });
  }

  /** The category a new work order names, held shared until the order commits (as findType). */
  findCategory(manager: EntityManager, id: string): Promise<WorkOrderCategoryEntity | null> {
    return manager.findOne(WorkOrderCategoryEntity, { where: { id }, lock: { mode: 'pessimistic_read' } });
  }

  findInstance(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ProcessInstanceEntity | null> {
    return manager.findOneBy(ProcessInstanceEntity, { id });
  }

  /** The names of the open tasks of each instance (a list page's current nodes, one query). */
  async openTaskNames(instanceIds: string[]): Promise<Map<string, string[]>> {
    if (instanceIds.length === 0) return new Map();
    const rows: { id: string; names: string[] }[] = await this.dataSource.query(
      `SELECT t.instance_id::text AS id, array_agg(DISTINCT t.name) AS names FROM workflow.task t
        WHERE t.instance_id = ANY($1::bigint[]) AND t.status = 'open' GROUP BY t.instance_id`,
      [instanceIds],
    );
    return new Map(rows.map((r) => [r.id, r.names]));
  }

  /** The open tasks of the work order's instance (one of them when `taskId` is given). */
  openTasks(
    instanceId: string,
    taskId?: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TaskEntity[]> {
    return manager.find(TaskEntity, {
      where: { instanceId, status: 'open', ...(taskId ? { id: taskId } : {}) },
      order: { id: 'ASC' },
    });
  }

  findTask(
    instanceId: string,
    taskId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TaskEntity | null> {
    return manager.findOneBy(TaskEntity, { id: taskId, instanceId });
  }

  /** The instance's history in the order it happened (the timeline). */
  history(instanceId: string): Promise<ActivityHistoryEntity[]> {
    return this.dataSource.manager.find(ActivityHistoryEntity, {
      where: { instanceId },
      order: { enteredAt: 'ASC', id: 'ASC' },
    });
  }

  comments(instanceId: string): Promise<CommentEntity[]> {
    return this.dataSource.manager.find(CommentEntity, {
      where: { instanceId },
      order: { createdAt: 'ASC' },
    });
  }
}
