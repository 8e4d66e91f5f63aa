import { Injectable } from '@nestjs/common';
import { type EntityManager, In } from 'typeorm';
import {
  ActivityHistoryEntity,
  JobEntity,
  ProcessInstanceEntity,
  ProcessDefinitionEntity,
  TaskEntity,
} from '@app/database';
import { hydrate, insertStatement, selection, updateStatement } from './entity-sql';
import {
  deferToCommit,
  deferWrite,
  type Expectation,
  sendStatements,
  sendStatementsAhead,
} from './statement-pipeline';

/** A history row to insert: an element entered (and, when it left in the same step, left). */
export type HistoryRow = Omit<ActivityHistoryEntity, 'id'>;

/** An element of an earlier step left: closes the newest open row of its execution. */
export interface HistoryLeave {
  executionId: string;
  at: Date;
  outcome: string;
  actorId: string | null;
}

/** The row of a new instance, as its first step leaves it. */
export type NewInstance = Omit<ProcessInstanceEntity, 'id' | 'serialNo'>;

/** The caller's serial number, or the counter (code, period) to take the next one from. */
export type SerialSource = { serialNo: string } | { code: string; period: string };

const INSTANCE_COLUMNS: ReadonlyArray<readonly [keyof NewInstance, string, string?]> = [
  ['definitionId', 'definition_id'],
  ['definitionKey', 'definition_key'],
  ['definitionVersion', 'definition_version'],
  ['processName', 'process_name'],
  ['category', 'category'],
  ['businessKey', 'business_key'],
  ['title', 'title'],
  ['status', 'status'],
  ['initiatorId', 'initiator_id'],
  ['initiatorDepartmentId', 'initiator_department_id'],
  ['state', 'state', 'jsonb'],
  ['variables', 'variables', 'jsonb'],
  ['version', 'version'],
  ['activeElements', 'active_elements', 'text[]'],
  ['parentInstanceId', 'parent_instance_id'],
  ['parentExecutionId', 'parent_execution_id'],
  ['rootInstanceId', 'root_instance_id'],
  ['relaunchedFromId', 'relaunched_from_id'],
  ['startedAt', 'started_at'],
  ['updatedAt', 'updated_at'],
  ['endedAt', 'ended_at'],
  ['endReason', 'end_reason'],
];

/** What a task command reads under its instance's lock, in one round trip (see lockTaskCommand). */
export interface TaskCommandRead {
  instance: ProcessInstanceEntity;
  definition: ProcessDefinitionEntity | undefined;
  task: TaskEntity;
  /** The instance's open tasks (the command's task among them while it is open: the same object). */
  openTasks: TaskEntity[];
  openAssigneeIncident: boolean;
}

export type NewJob = Pick<JobEntity, 'kind' | 'instanceId' | 'timerId' | 'elementId' | 'dueAt' | 'status'>;

/**
 * The queries of the durable step (instance row, tasks, timer jobs, history, outbox, serial counters).
 * Every method runs in the caller's transaction: `manager` is the one of the command being executed.
 */
@Injectable()
export class ExecutionRepository {
  private taskCommandSql?: string[];

  /** The instance row, locked (FOR UPDATE) until the transaction ends; null when there is none. */
  lockInstance(manager: EntityManager, id: string): Promise<ProcessInstanceEntity | null> {
    return manager
      .getRepository(ProcessInstanceEntity)
      .createQueryBuilder('i')
      .setLock('pessimistic_write')
      .where('i.id = :id', { id })
      .getOne();
  }

  /**
   * What a task command needs, in one round trip: its task's instance, locked (found through the task in
   * the same statement: a task never changes instance) with its definition row (without the XML; only the
   * instance is locked, FOR UPDATE OF i, so commands of one definition do not queue on its row); then,
   * each statement with its own snapshot taken after the lock, the task with the instance's open tasks,
   * and whether the instance has an open `unknown_assignee` incident. Null for an unknown task.
   */
  async lockTaskCommand(manager: EntityManager, taskId: string): Promise<TaskCommandRead | null> {
    const meta = (entity: new () => object) => manager.connection.getMetadata(entity);
    this.taskCommandSql ??= [
      `SELECT ${selection(meta(ProcessInstanceEntity), 'i')}, ${selection(meta(ProcessDefinitionEntity), 'd', ['xml'])}
         FROM workflow.process_instance i LEFT JOIN workflow.process_definition d ON d.id = i.definition_id
        WHERE i.id = (SELECT t.instance_id FROM workflow.task t WHERE t.id = $1) FOR UPDATE OF i`,
      `SELECT ${selection(meta(TaskEntity), 't')} FROM workflow.task t
        WHERE t.id = $1 OR (t.status = 'open' AND t.instance_id = (SELECT instance_id FROM workflow.task WHERE id = $1))`,
      `SELECT EXISTS (SELECT 1 FROM workflow.incident x
                       WHERE x.instance_id = (SELECT instance_id FROM workflow.task WHERE id = $1)
                         AND x.kind = 'unknown_assignee' AND x.resolved_at IS NULL) AS "open"`,
    ];
    const [locked, tasks, incident] = await sendStatements(
      manager,
      this.taskCommandSql.map((sql) => ({ sql, params: [taskId] })),
    );
    const row = locked.rows[0];
    const rows = tasks.rows.map((r) => hydrate(TaskEntity, r, 't'));
    const task = rows.find((t) => t.id === String(taskId));
    if (!row || !task) return null;
    return {
      instance: hydrate(ProcessInstanceEntity, row, 'i'),
      definition: row['d.id'] === null ? undefined : hydrate(ProcessDefinitionEntity, row, 'd'),
      task,
      openTasks: rows.filter((t) => t.status === 'open'),
      openAssigneeIncident: incident.rows[0]?.open === true,
    };
  }

  findInstance(manager: EntityManager, id: string): Promise<ProcessInstanceEntity> {
    return manager.getRepository(ProcessInstanceEntity).findOneByOrFail({ id });
  }

  /** How many instances the chain instance → parent → … holds, counted up to `limit + 1`. */
  async callDepth(manager: EntityManager, instanceId: string, limit: number): Promise<number> {
    const rows: { depth: number }[] = await manager.query(
      `WITH RECURSIVE chain(parent, depth) AS (
         SELECT parent_instance_id, 1 FROM workflow.process_instance WHERE id = $1
         UNION ALL
         SELECT i.parent_instance_id, chain.depth + 1
           FROM chain JOIN workflow.process_instance i ON i.id = chain.parent
          WHERE chain.depth <= $2)
       SELECT max(depth)::int AS depth FROM chain`,
      [instanceId, limit],
    );
    return rows[0]?.depth ?? 1;
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

  /** An id for a new instance row (its INSERT goes with the commit: see insertInstanceAtCommit). */
  async nextInstanceId(manager: EntityManager): Promise<string> {
    // a sequence cannot see the writes held for the commit: they stay held
    const [result] = await sendStatementsAhead<{ id: string }>(manager, [
      { sql: `SELECT nextval('workflow.process_instance_id_seq')::text AS id` },
    ]);
    return result.rows[0].id;
  }

  /**
   * Inserts a new instance with its serial number in one statement, sent with the COMMIT (a statement that
   * might read the row sends it earlier); `numbered` gets the number when it has run. From a counter, the
   * number is `{code}_{yyyyMM}_{seq}` (seed 002: `ztbxx01_202108_0001`, at least four digits): the counter
   * row of (code, period) is bumped in the same statement and stays locked until commit, so a rolled-back
   * start gives its number back (no gaps) and concurrent starts queue on it (no duplicates). The INSERT's
   * report trigger locks the day's instance count of the definition, which every start of it bumps too:
   * both locks are taken in the last message, so starts queue on them only while the server runs it.
   */
  async insertInstanceAtCommit(
    manager: EntityManager,
    id: string,
    serial: SerialSource,
    row: NewInstance,
    numbered: (serialNo: string) => void,
  ): Promise<void> {
    const params: unknown[] = [
      id,
      ...INSTANCE_COLUMNS.map(([property, , type]) =>
        type === 'jsonb' ? JSON.stringify(row[property]) : row[property],
      ),
    ];
    const values = ['$1', ...INSTANCE_COLUMNS.map(([, , type], i) => `$${i + 2}${type ? `::${type}` : ''}`)];
    const columns = `id, ${INSTANCE_COLUMNS.map(([, column]) => column).join(', ')}, serial_no`;
    let sql: string;
    if ('serialNo' in serial) {
      params.push(serial.serialNo);
      sql = `INSERT INTO workflow.process_instance (${columns})
             VALUES (${values.join(', ')}, $${params.length}) RETURNING serial_no`;
    } else {
      params.push(serial.code, serial.period);
      const code = `$${params.length - 1}::varchar`;
      const period = `$${params.length}::varchar`;
      sql = `WITH counter AS (
               INSERT INTO workflow.serial_counter (code, period, last_value) VALUES (${code}, ${period}, 1)
               ON CONFLICT (code, period) DO UPDATE SET last_value = workflow.serial_counter.last_value + 1
               RETURNING last_value::text AS seq)
             INSERT INTO workflow.process_instance (${columns})
             SELECT ${values.join(', ')}, ${code} || '_' || ${period} || '_' || lpad(seq, greatest(4, length(seq)), '0')
             FROM counter RETURNING serial_no`;
    }
    await deferToCommit(manager, { sql, params }, (result) => numbered(String(result.rows[0].serial_no)));
  }

  /**
   * Writes `changes` only if the row is still at `version` (else `conflict` is thrown, at the latest
   * before the commit: the write may wait for the transaction's next statement).
   */
  async updateInstanceAtVersion(
    manager: EntityManager,
    id: string,
    version: number,
    changes: Partial<ProcessInstanceEntity>,
    conflict: Expectation['error'],
  ): Promise<void> {
    const metadata = manager.connection.getMetadata(ProcessInstanceEntity);
    await deferWrite(manager, updateStatement(metadata, changes, 'id = $1 AND version = $2', [id, version]), {
      rows: 1,
      error: conflict,
    });
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

  /** One multi-row INSERT (with the writes waiting for it); the tasks come back in the order given, with their ids. */
  async insertTasks(manager: EntityManager, rows: readonly Partial<TaskEntity>[]): Promise<TaskEntity[]> {
    if (rows.length === 0) return [];
    const metadata = manager.connection.getMetadata(TaskEntity);
    // a new task's row cannot see a completed task's UPDATE held for the commit: it stays held
    const [inserted] = await sendStatementsAhead<{ id: string }>(manager, [
      insertStatement(metadata, rows, 'id'),
    ]);
    return rows.map((row, i) => Object.assign(new TaskEntity(), row, { id: String(inserted.rows[i].id) }));
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

  /** One multi-row INSERT, with the transaction's next statement (new rows: nothing reads them before). */
  async insertJobs(manager: EntityManager, jobs: readonly NewJob[]): Promise<void> {
    if (jobs.length > 0)
      await deferWrite(manager, insertStatement(manager.connection.getMetadata(JobEntity), jobs));
  }

  async insertHistory(manager: EntityManager, rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length > 0)
      await deferWrite(manager, insertStatement(manager.connection.getMetadata(ActivityHistoryEntity), rows));
  }

  /**
   * Closes, for each leave, the newest open row of its execution (the k-th leave of one execution the
   * k-th newest), in one statement.
   */
  async leaveHistory(
    manager: EntityManager,
    instanceId: string,
    leaves: readonly HistoryLeave[],
  ): Promise<void> {
    if (leaves.length === 0) return;
    const nth = new Map<string, number>();
    const ordinals = leaves.map((l) => {
      const n = (nth.get(l.executionId) ?? 0) + 1;
      nth.set(l.executionId, n);
      return n;
    });
    await deferWrite(manager, {
      sql: `UPDATE workflow.activity_history h SET left_at = l.left_at, outcome = l.outcome, actor_id = l.actor_id
         FROM (SELECT id, execution_id, row_number() OVER (PARTITION BY execution_id ORDER BY id DESC) AS n
                 FROM workflow.activity_history
                WHERE instance_id = $1 AND left_at IS NULL AND execution_id = ANY($2::varchar[])) o
         JOIN unnest($2::varchar[], $3::int[], $4::timestamptz[], $5::varchar[], $6::varchar[])
                AS l(execution_id, n, left_at, outcome, actor_id)
           ON l.execution_id = o.execution_id AND l.n = o.n
        WHERE h.id = o.id`,
      params: [
        instanceId,
        leaves.map((l) => l.executionId),
        ordinals,
        leaves.map((l) => l.at),
        leaves.map((l) => l.outcome),
        leaves.map((l) => l.actorId),
      ],
    });
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
