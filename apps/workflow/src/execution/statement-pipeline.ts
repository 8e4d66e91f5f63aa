import type { PoolClient, QueryResult as PgResult } from 'pg';
import { type DataSource, type EntityManager, QueryFailedError, type QueryRunner } from 'typeorm';
import { dbQueriesTotal } from '@app/observability';

/** A statement with `$n` placeholders; no `$` may stand inside its quoted text. */
export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

/** What a statement answered: its rows and how many it touched. */
export interface StatementResult<T = Record<string, unknown>> {
  rows: T[];
  rowCount: number;
}

/** A deferred write that must touch exactly `rows` rows; `error` is thrown when it did not. */
export interface Expectation {
  rows: number;
  error: () => Error;
}

interface Waiting {
  sql: string;
  expect?: Expectation;
  /** Gets the write's result when it has run (a held INSERT … RETURNING). */
  answered?: (result: StatementResult) => void;
}

/** A value as a SQL literal (what pg would send as the parameter's text). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return quote(value.toISOString());
  if (Array.isArray(value)) return quote(arrayLiteral(value));
  if (typeof value === 'object') return quote(JSON.stringify(value));
  return quote(String(value as string | number | boolean));
}

function arrayLiteral(values: readonly unknown[]): string {
  const items = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    const text = v instanceof Date ? v.toISOString() : String(v as string | number | boolean);
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

/** pg's escapeLiteral, by regular expressions (its per-character loop is slow on a 7 KB state). */
function quote(text: string): string {
  const quoted = `'${text.replace(/'/g, "''")}'`;
  return text.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

/** The statement with its parameters written in as literals, for a multi-statement message. */
export function inlined({ sql, params }: Statement): string {
  if (!params || params.length === 0) return sql;
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

/**
 * Fewer round trips for a command's transaction (each costs both processes CPU, and the row locks are
 * held across it). Writes whose answer the command does not need wait (`defer`) and go with the next
 * statement the transaction sends, BEGIN with the first and the last writes with COMMIT, as one
 * simple-protocol message: PostgreSQL still runs them one by one, in order, each with its own snapshot,
 * and stops at the first error, so what the database does is the same as one round trip each. Any
 * other query of the transaction (TypeORM's too) sends the waiting writes first.
 *
 * A write held for the commit (`deferToCommit`) goes after the other waiting writes, with COMMIT, so the
 * row locks it takes are held only while the server runs that last message, not across the round trips
 * and the app's turns before it. Any statement that might read what it changes sends it first; only
 * `send(…, ahead)` (statements that cannot see it: a new row's INSERT) passes it by.
 */
class Pipeline {
  private waiting: Waiting[] = [];
  private held: Waiting[] = [];
  /** START TRANSACTION has gone to the server (a ROLLBACK is needed). */
  private begun = false;

  constructor(private readonly runner: QueryRunner) {
    const direct = runner.query.bind(runner) as (sql: string, ...rest: unknown[]) => Promise<unknown>;
    const wrapped = async (sql: string, ...rest: unknown[]): Promise<unknown> => {
      if (sql === 'START TRANSACTION' && !this.begun) {
        this.waiting.push({ sql });
        return undefined;
      }
      if (sql === 'ROLLBACK') {
        this.waiting = [];
        this.held = [];
        return this.begun ? direct(sql, ...rest) : undefined;
      }
      if (sql === 'COMMIT') return this.commit(direct);
      await this.flush();
      return direct(sql, ...rest);
    };
    runner.query = wrapped as QueryRunner['query'];
  }

  /** A write whose row count is checked is checked before COMMIT, never after it. */
  private async commit(direct: (sql: string) => Promise<unknown>): Promise<void> {
    if (this.waiting.some((w) => w.expect)) await this.send([], true);
    if (this.waiting.length === 0 && this.held.length === 0) {
      await direct('COMMIT');
      return;
    }
    await this.send([{ sql: 'COMMIT' }]);
  }

  defer(statement: Statement, expect?: Expectation): void {
    this.waiting.push({ sql: inlined(statement), expect });
  }

  deferToCommit(statement: Statement, answered?: (result: StatementResult) => void): void {
    this.held.push({ sql: inlined(statement), answered });
  }

  async flush(): Promise<void> {
    if (this.waiting.length > 0 || this.held.length > 0) await this.send([]);
  }

  /**
   * The waiting writes (and, unless `ahead`, those held for the commit) and `statements` in one
   * message; answers the results of `statements`.
   */
  async send(statements: readonly Statement[], ahead = false): Promise<StatementResult[]> {
    const waiting = this.waiting;
    const held = ahead ? [] : this.held;
    this.waiting = [];
    if (!ahead) this.held = [];
    const writes = [...waiting, ...held];
    const text = [...writes.map((w) => w.sql), ...statements.map(inlined)].join(';\n');
    if (waiting.some((w) => w.sql === 'START TRANSACTION')) this.begun = true;
    const client = (await this.runner.connect()) as PoolClient;
    dbQueriesTotal.inc();
    let answered: PgResult | PgResult[];
    try {
      answered = (await client.query(text)) as PgResult | PgResult[];
    } catch (error) {
      throw new QueryFailedError(text, [], error as Error);
    }
    const results = (Array.isArray(answered) ? answered : [answered]).map((r) => ({
      rows: r.rows as Record<string, unknown>[],
      rowCount: r.rowCount ?? 0,
    }));
    writes.forEach((w, i) => {
      if (w.expect && (results[i]?.rowCount ?? 0) !== w.expect.rows) throw w.expect.error();
      w.answered?.(results[i]);
    });
    return results.slice(writes.length);
  }
}

const pipelines = new WeakMap<QueryRunner, Pipeline>();

/**
 * `work` in one transaction whose writes are pipelined (above); otherwise as `DataSource.transaction`.
 * Answers the manager it used too (the caller's hooks key on it).
 */
export async function pipelinedTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  used?: (manager: EntityManager) => void,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  pipelines.set(runner, new Pipeline(runner));
  used?.(runner.manager);
  try {
    await runner.startTransaction();
    const result = await work(runner.manager);
    await runner.commitTransaction();
    return result;
  } catch (error) {
    await runner.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    await runner.release();
  }
}

/**
 * Writes `statement` in `manager`'s transaction: with its next statement when the transaction is
 * pipelined (then `expect` is checked there), else now.
 */
export async function deferWrite(
  manager: EntityManager,
  statement: Statement,
  expect?: Expectation,
): Promise<void> {
  const pipeline = manager.queryRunner && pipelines.get(manager.queryRunner);
  if (pipeline) return pipeline.defer(statement, expect);
  const [result] = await sendNow(manager, [statement]);
  if (expect && result.rowCount !== expect.rows) throw expect.error();
}

/**
 * Writes `statement` in `manager`'s transaction with its COMMIT when the transaction is pipelined (a
 * statement that might read it sends it earlier), else now. For a write whose row locks others queue
 * on: a completed task's UPDATE fires the report triggers, which lock aggregate rows shared by every
 * completion of a step by one person until the commit; a new instance's INSERT bumps its definition's
 * serial counter and the day's instance count. `answered` gets its result when it has run.
 */
export async function deferToCommit(
  manager: EntityManager,
  statement: Statement,
  answered?: (result: StatementResult) => void,
): Promise<void> {
  const pipeline = manager.queryRunner && pipelines.get(manager.queryRunner);
  if (pipeline) return pipeline.deferToCommit(statement, answered);
  const [result] = await sendNow(manager, [statement]);
  answered?.(result);
}

/** Sends the writes waiting in `manager`'s transaction, those held for the commit too, now. */
export async function sendHeld(manager: EntityManager): Promise<void> {
  const pipeline = manager.queryRunner && pipelines.get(manager.queryRunner);
  if (pipeline) await pipeline.flush();
}

/**
 * `sendStatements` for statements that cannot read what the writes held for the commit change (new
 * rows' INSERTs): those writes stay held.
 */
export function sendStatementsAhead<T = Record<string, unknown>>(
  manager: EntityManager,
  statements: readonly Statement[],
): Promise<StatementResult<T>[]> {
  const pipeline = manager.queryRunner && pipelines.get(manager.queryRunner);
  if (pipeline) return pipeline.send(statements, true) as Promise<StatementResult<T>[]>;
  return sendNow(manager, statements) as Promise<StatementResult<T>[]>;
}

/**
 * Runs `statements` in order (each with its own snapshot, as separate statements) and answers their
 * results: in one round trip with the waiting writes when the transaction is pipelined.
 */
export function sendStatements<T = Record<string, unknown>>(
  manager: EntityManager,
  statements: readonly Statement[],
): Promise<StatementResult<T>[]> {
  const pipeline = manager.queryRunner && pipelines.get(manager.queryRunner);
  if (pipeline) return pipeline.send(statements) as Promise<StatementResult<T>[]>;
  return sendNow(manager, statements) as Promise<StatementResult<T>[]>;
}

async function sendNow(manager: EntityManager, statements: readonly Statement[]): Promise<StatementResult[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const results: StatementResult[] = [];
    for (const { sql, params } of statements) {
      const result = await runner.query(sql, params ? [...params] : undefined, true);
      results.push({
        rows: (result.records ?? []) as Record<string, unknown>[],
        rowCount: result.affected ?? 0,
      });
    }
    return results;
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}
