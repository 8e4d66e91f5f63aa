import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { AfterCommit } from '../after-commit';
import { createDataSource } from '../data-source';
import { WORKFLOW_SCHEMA } from '../schemas';

describe('AfterCommit (TypeORM transactions on a real database)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let hooks: AfterCommit;

  beforeAll(async () => {
    db = await createTestDatabase('after_commit');
    dataSource = createDataSource(WORKFLOW_SCHEMA, { url: db.url, poolSize: 2 });
    await dataSource.initialize();
    hooks = new AfterCommit(dataSource);
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('runs after the COMMIT, once per key, never before', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      hooks.once(manager, 'a', () => ran.push('a'));
      hooks.once(manager, 'a', () => ran.push('a again'));
      hooks.once(manager, 'b', () => ran.push('b'));
      await manager.query('SELECT 1');
      expect(ran).toEqual([]);
    });
    expect(ran).toEqual(['a', 'b']);
  });

  it('drops what a rolled-back transaction registered, also for the next transaction on its runner', async () => {
    const ran: string[] = [];
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      hooks.once(runner.manager, 'a', () => ran.push('a'));
      await runner.rollbackTransaction();
      await runner.startTransaction();
      await runner.query('SELECT 1');
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(ran).toEqual([]);
  });

  it('runs what a nested transaction (a savepoint) registered after the outer COMMIT, kept even when the savepoint rolled back (a wake-up too many is harmless, one too few is not)', async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (outer) => {
      await outer.transaction(async (inner) => hooks.once(inner, 'inner', () => ran.push('inner')));
      expect(ran).toEqual([]); // the savepoint is released, nothing is committed yet
      await expect(
        outer.transaction(async (inner) => {
          hooks.once(inner, 'undone', () => ran.push('undone'));
          throw new Error('savepoint rolled back');
        }),
      ).rejects.toThrow();
    });
    expect(ran).toEqual(['inner', 'undone']);
  });

  it('runs at once for a manager outside a transaction, whose write has committed', () => {
    const ran: string[] = [];
    hooks.once(dataSource.manager, 'a', () => ran.push('a'));
    expect(ran).toEqual(['a']);
  });
});
