import { QueryFailedError } from 'typeorm';
import { CompleteTaskCommand, WorkflowPattern } from '@app/contracts';
import { dbQueriesTotal } from '@app/observability';
import { makeActor } from '@app/testing';
import { startWorkflowMedium, type WorkflowMedium } from '../../__tests__/workflow-medium';
import { deferWrite, pipelinedTransaction, sendStatements } from '../statement-pipeline';

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
});
