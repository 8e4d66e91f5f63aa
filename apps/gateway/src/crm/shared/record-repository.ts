import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type PageQueryDto, pageOffset } from '@app/common';
import { type CrmScopeColumns, crmScopeWhere } from './crm-scope';

/** Deleted records are listed only on request (`status=-1` or `all`); never in search, export or statistics. */
export type DeletedFilter = 'live' | 'deleted' | 'any';

/**
 * Queries shared by every CRM record table: the caller's data scope is part of every query, so a record
 * outside it is never loaded (lists skip it, direct access is 404).
 */
export abstract class CrmRecordRepository<E extends ObjectLiteral & { id: string; deletedAt: Date | null }> {
  protected abstract readonly entity: EntityTarget<E>;
  protected abstract readonly alias: string;
  protected abstract scopeColumns(alias: string): CrmScopeColumns;

  constructor(protected readonly dataSource: DataSource) {}

  /** Records of the table within the caller's data scope. */
  visible(actor: Actor, deleted: DeletedFilter, manager?: EntityManager): SelectQueryBuilder<E> {
    const a = this.alias;
    const qb = (manager ?? this.dataSource.manager).createQueryBuilder(this.entity, a);
    qb.where(crmScopeWhere(actor, this.scopeColumns(a)));
    if (deleted === 'live') qb.andWhere(`${a}.deleted_at IS NULL`);
    if (deleted === 'deleted') qb.andWhere(`${a}.deleted_at IS NOT NULL`);
    return qb;
  }

  /** One record within the caller's scope (deleted or not), locked for update when a manager is given. */
  async findVisible(actor: Actor, id: string, manager?: EntityManager): Promise<E | null> {
    const qb = this.visible(actor, 'any', manager).andWhere(`${this.alias}.id = :id`, { id });
    if (manager) qb.setLock('pessimistic_write', undefined, [this.alias]);
    return qb.getOne();
  }

  /**
   * A page of a filtered query, newest first by the given time column, and its total. With `countCap` the
   * count reads at most cap + 1 rows (a full count over a million rows is most of the page's time):
   * the total is exact up to the cap, and `more` says that the cap was reached.
   */
  async cappedPage(
    qb: SelectQueryBuilder<E>,
    query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    orderColumn: string,
    countCap: number,
  ): Promise<[E[], number, boolean]> {
    const a = this.alias;
    const [sql, params] = qb
      .clone()
      .select(`${a}.id`, 'id')
      .orderBy()
      .limit(countCap + 1)
      .getQueryAndParameters();
    const counted = this.dataSource
      .query(`SELECT count(*)::int AS n FROM (${sql}) AS capped`, params)
      .then((r: { n: number }[]) => r[0].n);
    const [rows, n] = await Promise.all([this.rows(qb, query, orderColumn), counted]);
    return [rows, Math.min(n, countCap), n > countCap];
  }

  /**
   * Every record of a filtered query in list order, `size` at a time, read through a server-side cursor
   * (ids only) so that memory stays flat however many rows match; the consumer pulls the next batch, so a
   * slow client slows the reading. The cursor's transaction holds one pooled connection until the end.
   */
  async *batches(qb: SelectQueryBuilder<E>, orderColumn: string, size: number): AsyncGenerator<E[]> {
    const a = this.alias;
    const [sql, params] = this.ordered(
      qb.clone().select(`${a}.id`, 'id'),
      orderColumn,
    ).getQueryAndParameters();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`DECLARE crm_rows NO SCROLL CURSOR FOR ${sql}`, params);
      for (;;) {
        const ids = ((await runner.query(`FETCH ${size} FROM crm_rows`)) as { id: string }[]).map((r) =>
          String(r.id),
        );
        if (ids.length === 0) break;
        const found = await runner.manager
          .createQueryBuilder(this.entity, a)
          .where(`${a}.id IN (:...ids)`, { ids })
          .getMany();
        const byId = new Map(found.map((r) => [String(r.id), r]));
        yield ids.flatMap((id) => byId.get(id) ?? []);
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  }

  /** A page of a filtered query, newest first by the given time column, and its total. */
  async page(
    qb: SelectQueryBuilder<E>,
    query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    orderColumn: string,
  ): Promise<[E[], number]> {
    return Promise.all([this.rows(qb, query, orderColumn), qb.clone().getCount()]);
  }

  private rows(
    qb: SelectQueryBuilder<E>,
    query: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    orderColumn: string,
  ): Promise<E[]> {
    return this.ordered(qb.clone(), orderColumn).offset(pageOffset(query)).limit(query.pageSize).getMany();
  }

  /** List order: newest first by the time column, then by id. */
  private ordered(qb: SelectQueryBuilder<E>, orderColumn: string): SelectQueryBuilder<E> {
    const a = this.alias;
    return qb.orderBy(`${a}.${orderColumn}`, 'DESC').addOrderBy(`${a}.id`, 'DESC');
  }
}

/**
 * The two directories other records link to (customers, organizations): a filtered list newest first,
 * with an exact or a capped total, and the look-ups of linked ids and names.
 */
export abstract class DirectoryRepository<
  E extends ObjectLiteral & { id: string; deletedAt: Date | null },
  F,
> extends CrmRecordRepository<E> {
  /** The table and its display-name column, for `namesOf`. */
  protected abstract readonly table: string;
  protected abstract readonly nameColumn: string;
  abstract filtered(actor: Actor, filters: F): SelectQueryBuilder<E>;

  /** Records of a list's `status` filter: `all` of them, `-1` the deleted ones, otherwise the live ones. */
  protected withStatus(actor: Actor, status: string): SelectQueryBuilder<E> {
    return this.visible(actor, status === 'all' ? 'any' : status === '-1' ? 'deleted' : 'live');
  }

  list(actor: Actor, filters: F, page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>) {
    return this.page(this.filtered(actor, filters), page, 'createdAt');
  }

  /** The page with its total capped at `countCap` (see `cappedPage`). */
  cappedList(actor: Actor, filters: F, page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>, countCap: number) {
    return this.cappedPage(this.filtered(actor, filters), page, 'createdAt', countCap);
  }

  /** Live records of these ids that the caller can see (for links from other records). */
  async visibleIds(actor: Actor, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const a = this.alias;
    const rows = await this.visible(actor, 'live')
      .andWhere(`${a}.id IN (:...ids)`, { ids: [...new Set(ids)] })
      .select(`${a}.id`, 'id')
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => String(r.id)));
  }

  /** Display names by id, whatever the scope (the caller already holds the linking record). */
  async namesOf(ids: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, ${this.nameColumn} AS name FROM ${this.table} WHERE id = ANY($1::bigint[])`,
      [wanted],
    )) as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }
}
