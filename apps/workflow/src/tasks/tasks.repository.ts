import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { containsPattern } from '@app/common';
import type { Actor, TaskScope } from '@app/contracts';
import { CommentEntity, type CommentType, queryRows, TaskCopyEntity, TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf } from '../common/candidate-keys';
import { insertStatement, updateStatement } from '../execution/entity-sql';
import { deferToCommit, deferWrite } from '../execution/statement-pipeline';

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

/** What a task list shows of a task (`mapTask`), as pg returns it. */
export type TaskListed = Omit<TaskEntity, 'executionId' | 'miRootExecutionId' | 'claimedAt'>;

const TASK_LISTED = `t.id, t.instance_id AS "instanceId", t.definition_id AS "definitionId",
  t.definition_key AS "definitionKey", t.process_name AS "processName", t.category,
  t.instance_started_at AS "instanceStartedAt", t.initiator_id AS "initiatorId", t.element_id AS "elementId",
  t.name, t.assignee_id AS "assigneeId", t.owner_id AS "ownerId", t.delegation_state AS "delegationState",
  t.candidates, t.form_key AS "formKey", t.priority, t.due_at AS "dueAt", t.status, t.outcome,
  t.mi_index AS "miIndex", t.mi_total AS "miTotal", t.created_at AS "createdAt", t.ended_at AS "endedAt",
  t.ended_by AS "endedBy"`;

/** Task rows, their copies (抄送) and the comments left on them. */
@Injectable()
export class TasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<TaskEntity | null> {
    return manager.findOneBy(TaskEntity, { id });
  }

  /**
   * The personal lists: todo (held or claimable), claimable, done by me, copied to me. One statement
   * through pg (and a count only when the page is full or past the end): the query builder and entity
   * hydration were most of the list's CPU (docs/performance.md).
   */
  async page(query: TaskListQuery): Promise<[TaskListed[], number]> {
    const { actor } = query;
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    let ids: string | undefined;
    const idsParam = () => (ids ??= param(identitiesOf(actor)));
    const keysParam = () => param(candidateKeysOfActor(actor));
    const where: string[] = [];
    switch (query.scope) {
      case 'todo':
        where.push(
          `t.status = 'open' AND (t.assignee_id = ANY(${idsParam()}) OR (t.assignee_id IS NULL AND t.candidates && ${keysParam()}))`,
        );
        break;
      case 'claimable':
        where.push(`t.status = 'open' AND t.assignee_id IS NULL AND t.candidates && ${keysParam()}`);
        break;
      case 'done':
        where.push(`t.status = 'completed' AND t.ended_by = ${param(actor.id)}`);
        break;
      case 'copied':
        where.push(
          `t.id IN (SELECT c.task_id FROM workflow.task_copy c WHERE c.user_id = ANY(${idsParam()}))`,
        );
        break;
    }
    if (query.assignedOnly) where.push(`t.assignee_id = ANY(${idsParam()})`);
    if (query.processName) where.push(`t.process_name ILIKE ${param(containsPattern(query.processName))}`);
    if (query.processKey) where.push(`t.definition_key = ${param(query.processKey)}`);
    if (query.category) where.push(`t.category = ${param(query.category)}`);
    if (query.instanceId) where.push(`t.instance_id = ${param(query.instanceId)}`);
    if (query.startedFrom) where.push(`t.instance_started_at >= ${param(query.startedFrom)}`);
    if (query.startedTo) where.push(`t.instance_started_at <= ${param(query.startedTo)}`);
    const filter = where.join(' AND ');
    const offset = (query.pageNum - 1) * query.pageSize;
    const rows = await queryRows<TaskListed>(
      this.dataSource,
      `SELECT ${TASK_LISTED} FROM workflow.task t WHERE ${filter}
        ORDER BY ${query.scope === 'done' ? 't.ended_at' : 't.created_at'} DESC, t.id DESC
        LIMIT ${query.pageSize} OFFSET ${offset}`,
      params,
    );
    if (rows.length > 0 ? rows.length < query.pageSize : offset === 0) return [rows, offset + rows.length];
    const [{ total }] = await queryRows<{ total: number }>(
      this.dataSource,
      `SELECT count(*)::int AS total FROM workflow.task t WHERE ${filter}`,
      params,
    );
    return [rows, total];
  }

  /** Status and variables of the listed tasks' instances (seed 004's procVars / processStatus). */
  async instancesOf(
    ids: string[],
  ): Promise<Map<string, { status: string; variables: Record<string, unknown> }>> {
    if (ids.length === 0) return new Map();
    const rows = await queryRows<{ id: string; status: string; variables: Record<string, unknown> }>(
      this.dataSource,
      `SELECT i.id, i.status, i.variables FROM workflow.process_instance i WHERE i.id = ANY($1::bigint[])`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((r) => [String(r.id), { status: r.status, variables: r.variables }]));
  }

  /** Written with the transaction's next statement when it is pipelined (statement-pipeline.ts). */
  async update(manager: EntityManager, id: string, changes: TaskChanges): Promise<void> {
    const metadata = manager.connection.getMetadata(TaskEntity);
    await deferWrite(manager, updateStatement(metadata, changes, 'id = $1', [id]));
  }

  /**
   * `update` for the change that completes a task: written with the transaction's COMMIT when it is
   * pipelined, so the report triggers' aggregate row locks, on which completions of one step by one
   * person queue, are held only while the server runs that last message (statement-pipeline.ts).
   */
  async updateAtCommit(manager: EntityManager, id: string, changes: TaskChanges): Promise<void> {
    const metadata = manager.connection.getMetadata(TaskEntity);
    await deferToCommit(manager, updateStatement(metadata, changes, 'id = $1', [id]));
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
    const row = { instanceId: task.instanceId, taskId: task.id, type, actorId, message };
    await deferWrite(manager, insertStatement(manager.connection.getMetadata(CommentEntity), [row]));
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

  /** Task-only changes still bump the instance's version; answers its serial number and the new version. */
  async bumpInstance(
    manager: EntityManager,
    instanceId: string,
  ): Promise<{ serialNo: string; version: number }> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [{ serial_no: string; version: number }[], number] = await manager.query(
      `UPDATE workflow.process_instance SET version = version + 1, updated_at = now() WHERE id = $1
       RETURNING serial_no, version`,
      [instanceId],
    );
    return { serialNo: rows[0]?.serial_no ?? '', version: rows[0]?.version ?? 0 };
  }
}
