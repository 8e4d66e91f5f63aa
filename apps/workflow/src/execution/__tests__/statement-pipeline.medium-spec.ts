import { QueryFailedError } from 'typeorm';
import { CompleteTaskCommand, WorkflowPattern } from '@app/contracts';
import { dbQueriesTotal } from '@app/observability';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { ProcessInstanceEntity, TaskEntity } from '@app/database';
import { insertStatement, updateStatement } from '../entity-sql';
import {
  deferToCommit,
  deferWrite,
  pipelinedTransaction,
  sendStatements,
  sendStatementsAhead,
} from '../statement-pipeline';

// Issue 17: at most 6 round trips per command on the workflow path, with the transaction doing what
// one statement per round trip did (order, snapshots, errors, the version check before COMMIT).
describe('statement pipeline (medium)', () => {
  let m: WorkflowMedium;
  const roundTrips = async () => (await dbQueriesTotal.get()).values[0]?.value ?? 0;
  const probe = 'public.pipeline_probe';

  beforeAll(async () => {
    m = await startWorkflowMedium('statement_pipeline');
    await m.dataSource.query(
      `CREATE TABLE ${probe} (id int PRIMARY KEY, note text, data jsonb, tags text[], at timestamptz)`,
    );
  });
  afterAll(() => m?.stop());

  it('a start and a completion each take at most 6 round trips', async () => {
    const definition = await m.workflow.definition([
      { id: 'first', candidateGroups: '${pool}' },
      { id: 'second', candidateGroups: '${pool}' },
    ]);
    const starter = makeActor({ id: '900' });
    const clerk = makeActor({ id: '100', roles: ['clerk'] });
    await m.workflow.instance(definition.key, starter, { pool: 'role:clerk' }); // definition compiled
    let before = await roundTrips();
    const started = await m.workflow.instance(definition.key, starter, { pool: 'role:clerk' });
    expect((await roundTrips()) - before).toBeLessThanOrEqual(6);
    before = await roundTrips();
    const done = await m.call(
      WorkflowPattern.TaskComplete,
      CompleteTaskCommand.create({ taskId: started.tasks[0]!.id, actor: clerk, comment: 'ok' }),
    );
    expect((await roundTrips()) - before).toBeLessThanOrEqual(6);
    expect(done.createdTasks).toHaveLength(1);
  });

  it('a waiting write is seen by the next read of its transaction, and by no one else before commit', async () => {
    const outside: unknown[] = [];
    const inside = await pipelinedTransaction(m.dataSource, async (manager) => {
      await deferWrite(manager, { sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2)`, params: [1, 'a'] });
      outside.push(...(await m.dataSource.query(`SELECT id FROM ${probe} WHERE id = 1`)));
      return manager.query(`SELECT note FROM ${probe} WHERE id = $1`, [1]);
    });
    expect(outside).toEqual([]);
    expect(inside).toEqual([{ note: 'a' }]);
    expect(await m.dataSource.query(`SELECT note FROM ${probe} WHERE id = 1`)).toEqual([{ note: 'a' }]);
  });

  it('a write held for the commit takes its row locks with COMMIT: statements sent ahead of it pass a row another session holds', async () => {
    await m.dataSource.query(`INSERT INTO ${probe} (id, note) VALUES (10, 'before')`);
    const other = m.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT id FROM ${probe} WHERE id = 10 FOR UPDATE`);
    try {
      const inserted = await pipelinedTransaction(m.dataSource, async (manager) => {
        // were the held UPDATE sent with the INSERT, it would wait for the other session and time out
        await manager.query(`SET LOCAL lock_timeout = '500ms'`);
        await deferToCommit(manager, {
          sql: `UPDATE ${probe} SET note = $1 WHERE id = 10`,
          params: ['held'],
        });
        const [answer] = await sendStatementsAhead(manager, [
          { sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2) RETURNING id`, params: [11, 'new'] },
        ]);
        await other.commitTransaction();
        return answer.rows;
      });
      expect(inserted).toEqual([{ id: 11 }]);
    } finally {
      if (other.isTransactionActive) await other.rollbackTransaction();
      await other.release();
    }
    expect(
      await m.dataSource.query(`SELECT id, note FROM ${probe} WHERE id IN (10, 11) ORDER BY id`),
    ).toEqual([
      { id: 10, note: 'held' },
      { id: 11, note: 'new' },
    ]);
  });

  it('a write held for the commit is seen by the next read of its transaction, and by no one else before commit', async () => {
    await m.dataSource.query(`INSERT INTO ${probe} (id, note) VALUES (12, 'before')`);
    const outside: unknown[] = [];
    const inside = await pipelinedTransaction(m.dataSource, async (manager) => {
      await deferToCommit(manager, { sql: `UPDATE ${probe} SET note = $1 WHERE id = 12`, params: ['held'] });
      await deferWrite(manager, {
        sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2)`,
        params: [13, 'x'],
      });
      outside.push(...(await m.dataSource.query(`SELECT note FROM ${probe} WHERE id = 12`)));
      return sendStatements(manager, [{ sql: `SELECT note FROM ${probe} WHERE id = 12` }]);
    });
    expect(outside).toEqual([{ note: 'before' }]);
    expect(inside[0]!.rows).toEqual([{ note: 'held' }]);
    expect(await m.dataSource.query(`SELECT note FROM ${probe} WHERE id = 12`)).toEqual([{ note: 'held' }]);
  });

  it("a failing waiting write rolls the transaction back with PostgreSQL's error code", async () => {
    const failed = pipelinedTransaction(m.dataSource, async (manager) => {
      await deferWrite(manager, { sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2)`, params: [2, 'b'] });
      await deferWrite(manager, { sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2)`, params: [2, 'c'] });
    });
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(await m.dataSource.query(`SELECT id FROM ${probe} WHERE id = 2`)).toEqual([]);
  });

  it('a checked write that touched no row fails before COMMIT, even as the last write', async () => {
    const conflict = new Error('changed concurrently');
    const failed = pipelinedTransaction(m.dataSource, async (manager) => {
      await deferWrite(manager, { sql: `INSERT INTO ${probe} (id, note) VALUES ($1, $2)`, params: [3, 'd'] });
      await deferWrite(
        manager,
        { sql: `UPDATE ${probe} SET note = 'e' WHERE id = $1`, params: [-3] },
        { rows: 1, error: () => conflict },
      );
    });
    await expect(failed).rejects.toBe(conflict);
    expect(await m.dataSource.query(`SELECT id FROM ${probe} WHERE id = 3`)).toEqual([]);
  });

  it('values written in a multi-statement message read back as parameters write them', async () => {
    const values = [
      `it's a "quote", a back\\slash, 中文 and $1`,
      { nested: { text: `it's \\"x\\"`, list: [1, null, 'a,b'] } },
      ['plain', 'with "quote"', 'comma,here', 'back\\slash', `it's`],
      new Date('2026-12-05T01:02:03.456Z'),
    ];
    const sql = `INSERT INTO ${probe} (id, note, data, tags, at) VALUES ($1, $2, $3::jsonb, $4::text[], $5)`;
    await pipelinedTransaction(m.dataSource, async (manager) => {
      await deferWrite(manager, {
        sql,
        params: [4, values[0], JSON.stringify(values[1]), values[2], values[3]],
      });
      await sendStatements(manager, [{ sql: `SELECT 1` }]); // the write went in a message with a statement
    });
    await m.dataSource.query(sql, [5, values[0], JSON.stringify(values[1]), values[2], values[3]]);
    const rows: Array<Record<string, unknown>> = await m.dataSource.query(
      `SELECT note, data, tags, at FROM ${probe} WHERE id IN (4, 5) ORDER BY id`,
    );
    expect(rows[0]).toEqual({ note: values[0], data: values[1], tags: values[2], at: values[3] });
    expect(rows[0]).toEqual(rows[1]);
  });

  it("rows of one INSERT that set different columns are written as TypeORM's insert writes them", async () => {
    const definition = await m.workflow.definition([{ id: 'only', candidateGroups: '${pool}' }]);
    const started = await m.workflow.instance(definition.key, makeActor({ id: '901' }), {
      pool: 'role:clerk',
    });
    const template = await m.dataSource
      .getRepository(TaskEntity)
      .findOneByOrFail({ id: started.tasks[0]!.id });
    const { id: _id, createdAt: _created, ...base } = template;
    const due = new Date('2026-12-31T08:00:00.000Z');
    // the first row leaves form key, due date and priority undefined; the second sets them
    const rows = (prefix: string): Partial<TaskEntity>[] => [
      { ...base, executionId: `${prefix}-a`, formKey: undefined, dueAt: undefined, priority: undefined },
      { ...base, executionId: `${prefix}-b`, formKey: 'later-form', dueAt: due, priority: 7 },
    ];
    const metadata = m.dataSource.getMetadata(TaskEntity);
    await pipelinedTransaction(m.dataSource, (manager) =>
      sendStatements(manager, [insertStatement(metadata, rows('raw'))]),
    );
    await m.dataSource.getRepository(TaskEntity).insert(rows('orm'));
    const read = async (executionId: string) => {
      const { formKey, dueAt, priority, status, candidates } = await m.dataSource
        .getRepository(TaskEntity)
        .findOneByOrFail({ instanceId: template.instanceId, executionId });
      return { formKey, dueAt, priority, status, candidates };
    };
    expect(await read('raw-b')).toEqual({
      ...(await read('orm-b')),
      formKey: 'later-form',
      dueAt: due,
      priority: 7,
    });
    expect(await read('raw-a')).toEqual(await read('orm-a'));
  });

  it('a null for a jsonb column is SQL NULL, as TypeORM writes it, not the JSON null', () => {
    const metadata = m.dataSource.getMetadata(ProcessInstanceEntity);
    expect(updateStatement(metadata, { variables: null }, 'id = $1', ['1']).params).toEqual(['1', null]);
    expect(updateStatement(metadata, { variables: { a: 1 } }, 'id = $1', ['1']).params).toEqual([
      '1',
      '{"a":1}',
    ]);
  });
});
