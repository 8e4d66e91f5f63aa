import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import {
  ActivityHistoryEntity,
  JobEntity,
  ProcessInstanceEntity,
  type ProcessDefinitionEntity,
  TaskEntity,
} from '@app/database';

/** A history row to insert: an element entered (and, when known already, left). */
export type HistoryRow = Pick<
  ActivityHistoryEntity,
  'instanceId' | 'elementId' | 'elementType' | 'elementName' | 'executionId' | 'taskId' | 'enteredAt'
>;

export type NewJob = Pick<JobEntity, 'kind' | 'instanceId' | 'timerId' | 'elementId' | 'dueAt' | 'status'>;

/**
 * The queries of the durable step (instance row, tasks, timer jobs, history, outbox, serial counters).
 * Every method runs in the caller's transaction: `manager` is the one of the command being executed.
 */
@Injectable()
export class ExecutionRepository {
  /** The instance row, locked (FOR UPDATE) until the transaction ends; null when there is none. */
  lockInstance(manager: EntityManager, id: string): Promise<ProcessInstanceEntity | null> {
    return manager
      .getRepository(ProcessInstanceEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :id', { id })
      .getOne();
  }

  findInstance(manager: EntityManager, id: string): Promise<ProcessInstanceEntity> {
    return manager.getRepository(ProcessInstanceEntity).findOneByOrFail({ id });
  }

  runningChildren(manager: EntityManager, parentId: string): Promise<ProcessInstanceEntity[]> {
    return manager
      .getRepository(ProcessInstanceEntity)
      .findBy({ parentInstanceId: parentId, status: 'running' });
  }

  /** Queues claims of one chosen serial number until this transaction ends. */
  async lockSerialNo(manager: EntityManager, serialNo: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`serial:${serialNo}`]);
  }

  serialNoTaken(manager: EntityManager, serialNo: string): Promise<boolean> {
    return manager.existsBy(ProcessInstanceEntity, { serialNo });
  }

  /**
   * Bumps the counter of (code, period) and returns its new value. The row stays locked until
   * commit: a rolled-back start gives its number back, concurrent starts queue on it.
   */
  async nextSerialValue(manager: EntityManager, code: string, period: string): Promise<number> {
    const rows: { last_value: number }[] = await manager.query(
      `INSERT INTO workflow.serial_counter (code, period, last_value) VALUES ($1, $2, 1)
       ON CONFLICT (code, period) DO UPDATE SET last_value = workflow.serial_counter.last_value + 1
       RETURNING last_value`,
      [code, period],
    );
    return rows[0].last_value;
  }

  insertInstance(
    manager: EntityManager,
    row: Partial<ProcessInstanceEntity>,
  ): Promise<ProcessInstanceEntity> {
    const repo = manager.getRepository(ProcessInstanceEntity);
    return repo.save(repo.create(row));
  }

  async setInstanceFields(
    manager: EntityManager,
    id: string,
    changes: Partial<Pick<ProcessInstanceEntity, 'serialNo' | 'endReason'>>,
  ): Promise<void> {
    await manager.update(ProcessInstanceEntity, { id }, changes);
  }

  /** Writes `changes` and version + 1 only if the row is still at `version`; false when it was not. */
  async updateInstanceAtVersion(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Partial<ProcessInstanceEntity>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(ProcessInstanceEntity)
      .set(changes as object)
      .where('id = :id AND version = :version', { id, version })
      .execute();
    return result.affected === 1;
  }

  openTasks(manager: EntityManager, instanceId: string): Promise<TaskEntity[]> {
    return manager.getRepository(TaskEntity).findBy({ instanceId, status: 'open' });
  }

  openTasksById(manager: EntityManager, instanceId: string): Promise<TaskEntity[]> {
    return manager
      .getRepository(TaskEntity)
      .find({ where: { instanceId, status: 'open' }, order: { id: 'ASC' } });
  }

  tasksByIds(manager: EntityManager, ids: readonly string[]): Promise<TaskEntity[]> {
    return manager.getRepository(TaskEntity).findBy({ id: In([...ids]) });
  }

  async updateTasks(
    manager: EntityManager,
    ids: readonly string[],
    changes: Partial<Pick<TaskEntity, 'status' | 'outcome' | 'endedAt'>>,
  ): Promise<void> {
    await manager.getRepository(TaskEntity).update({ id: In([...ids]) }, changes);
  }

  insertTask(manager: EntityManager, row: Partial<TaskEntity>): Promise<TaskEntity> {
    const repo = manager.getRepository(TaskEntity);
    return repo.save(repo.create(row));
  }

  async cancelPendingJobs(manager: EntityManager, instanceId: string, now: Date): Promise<void> {
    await manager.update(
      JobEntity,
      { instanceId, status: 'pending' },
      { status: 'cancelled', finishedAt: now },
    );
  }

  pendingTimerJobs(manager: EntityManager, instanceId: string): Promise<JobEntity[]> {
    return manager.getRepository(JobEntity).findBy({ instanceId, status: 'pending', kind: 'timer' });
  }

  async cancelJobs(manager: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    await manager
      .getRepository(JobEntity)
      .update({ id: In([...ids]) }, { status: 'cancelled', finishedAt: now });
  }

  async insertJobs(manager: EntityManager, jobs: readonly NewJob[]): Promise<void> {
    if (jobs.length > 0) await manager.getRepository(JobEntity).insert([...jobs]);
  }

  async insertHistory(manager: EntityManager, rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length > 0) await manager.getRepository(ActivityHistoryEntity).insert([...rows]);
  }

  /** Closes the newest open row of an execution (the one its leave belongs to). */
  async leaveHistory(
    manager: EntityManager,
    instanceId: string,
    leave: { executionId: string; at: Date; outcome: string; actorId: string | null },
  ): Promise<void> {
    await manager.query(
      `UPDATE workflow.activity_history SET left_at = $3, outcome = $4, actor_id = $5
       WHERE id = (SELECT id FROM workflow.activity_history WHERE instance_id = $1 AND execution_id = $2 AND left_at IS NULL ORDER BY id DESC LIMIT 1)`,
      [instanceId, leave.executionId, leave.at, leave.outcome, leave.actorId],
    );
  }

  /** Elements entered and not left, newest first. */
  async openHistoryElements(manager: EntityManager, instanceId: string): Promise<string[]> {
    const rows: { elementId: string }[] = await manager.query(
      `SELECT element_id AS "elementId" FROM workflow.activity_history WHERE instance_id = $1 AND left_at IS NULL ORDER BY id DESC`,
      [instanceId],
    );
    return rows.map((row) => row.elementId);
  }

  async cancelOpenHistory(manager: EntityManager, instanceId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE workflow.activity_history SET left_at = $2, outcome = 'cancelled' WHERE instance_id = $1 AND left_at IS NULL`,
      [instanceId, now],
    );
  }

  async insertOutboxEvent(
    manager: EntityManager,
    event: { topic: string; instanceId: string | null; payload: Record<string, unknown> },
  ): Promise<void> {
    await manager.query(
      `INSERT INTO workflow.outbox_event (id, topic, instance_id, payload) VALUES ($1, $2, $3, $4::jsonb)`,
      [randomUUID(), event.topic, event.instanceId, JSON.stringify(event.payload)],
    );
  }

  /** Definitions (id and XML) that have running instances: the ones a signal broadcast may reach. */
  async definitionsWithRunningInstances(
    manager: EntityManager,
  ): Promise<Array<Pick<ProcessDefinitionEntity, 'id' | 'xml'>>> {
    const rows: Array<{ id: string; xml: string }> = await manager.query(
      `SELECT d.id, d.xml FROM workflow.process_definition d
        WHERE d.id IN (SELECT DISTINCT definition_id FROM workflow.process_instance WHERE status = 'running')`,
    );
    return rows.map((row) => ({ id: String(row.id), xml: row.xml }));
  }

  async runningInstanceIdsOf(
    manager: EntityManager,
    definitionIds: readonly string[],
    exceptId: string | undefined,
  ): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM workflow.process_instance
        WHERE status = 'running' AND definition_id = ANY($1::bigint[]) AND id <> $2 ORDER BY id`,
      [definitionIds, exceptId ?? '0'],
    );
    return rows.map((row) => String(row.id));
  }

  /** The newest, not suspended version of every key whose XML mentions a signal event definition. */
  async latestSignalDefinitionIds(manager: EntityManager): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT id FROM (SELECT DISTINCT ON (key) id, suspended, xml FROM workflow.process_definition
                        ORDER BY key, version DESC) d
        WHERE NOT d.suspended AND d.xml LIKE '%signalEventDefinition%' ORDER BY id`,
    );
    return rows.map((row) => String(row.id));
  }
}
