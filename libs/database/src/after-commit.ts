import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * Work to run once a transaction has committed: telling a runner or a waiting fetch of rows it can
 * only see from then on. Registered on the transaction's manager, run after its outermost COMMIT
 * whoever opened it (a service's own transaction, a caller's `within`, the SLA runner's), dropped
 * with the transaction's rollback. TypeORM tells a data source's subscribers of every commit and rollback.
 */
export class AfterCommit implements EntitySubscriberInterface {
  private readonly pending = new WeakMap<QueryRunner, Map<unknown, () => void>>();

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  /**
   * Runs `run` after `manager`'s transaction commits, once per `key` and transaction (the first
   * registration counts). Without a transaction the write is already committed: it runs at once.
   */
  once(manager: EntityManager, key: unknown, run: () => void): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return run();
    let runs = this.pending.get(runner);
    if (!runs) this.pending.set(runner, (runs = new Map()));
    if (!runs.has(key)) runs.set(key, run);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint released: the outer transaction goes on
    const runs = this.pending.get(queryRunner);
    if (!runs) return;
    this.pending.delete(queryRunner);
    for (const run of runs.values()) run();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    // a savepoint rolled back keeps every registration, its own too: they only ever tell of rows to look for
    if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
  }
}
