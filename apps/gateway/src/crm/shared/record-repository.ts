import type { DataSource, EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Actor } from '@app/contracts';
import { type PageQueryDto, pageOffset } from '@app/common';
import { queryRows } from '@app/database';
import { type CrmScopeColumns, crmScopeSql, crmScopeWhere } from './crm-scope';
import { SqlWhere } from './sql-where';

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

  /**
   * Entities from rows selected with `selectList`, each value converted as the query builder's
   * hydration converts it (the driver's `prepareHydratedValue`: date columns as strings, transformers …),
   * without the builder's per-row transformer machinery.
   */
  protected hydrate(rows: Record<string, unknown>[]): E[] {
    const metadata = this.dataSource.getMetadata(this.entity);
    const driver = this.dataSource.driver;
    const columns = this.selectedColumns();
    return rows.map((row) => {
      const entity = metadata.create() as E;
      for (const column of columns)
        column.setEntityValue(entity, driver.prepareHydratedValue(row[column.propertyName], column));
      return entity;
    });
  }

  /** Every column the query builder selects for an entity, aliased by property name. */
  protected selectList(): string {
    const a = this.alias;
    return (this.selectListSql ??= this.selectedColumns()
      .map((c) => `${a}."${c.databaseName}" AS "${c.propertyName}"`)
      .join(', '));
  }

  private selectListSql?: string;

  private selectedColumnList?: ColumnMetadata[];

  private selectedColumns(): ColumnMetadata[] {
    return (this.selectedColumnList ??= this.dataSource
      .getMetadata(this.entity)
      .columns.filter((c) => c.isSelect && !c.isVirtual && !c.embeddedMetadata && !c.relationMetadata));
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
  F extends { status: string },
> extends CrmRecordRepository<E> {
  /** The table and its display-name column, for `namesOf`; the table is also what the lists read. */
  protected abstract readonly table: string;
  protected abstract readonly nameColumn: string;

  /** Adds the list filters (beyond scope and `status`'s deleted or live) to `where`, on `this.alias`. */
  protected abstract filterWhere(filters: F, where: SqlWhere): void;

  /**
   * The list's WHERE: the caller's scope, the `status` filter's deleted or live records (`all` of them,
   * `-1` the deleted ones, otherwise the live ones), then the list filters.
   */
  private listWhere(actor: Actor, filters: F, where: SqlWhere): SqlWhere {
    const a = this.alias;
    where.and(crmScopeSql(actor, this.scopeColumns(a), where.bind));
    if (filters.status === '-1') where.and(`${a}.deleted_at IS NOT NULL`);
    else if (filters.status !== 'all') where.and(`${a}.deleted_at IS NULL`);
    this.filterWhere(filters, where);
    return where;
  }

  /** The list's records as a query builder (legacy exact lists, exports). */
  filtered(actor: Actor, filters: F): SelectQueryBuilder<E> {
    const where = this.listWhere(actor, filters, new SqlWhere('named'));
    return this.dataSource.manager
      .createQueryBuilder(this.entity, this.alias)
      .where(where.sql, where.parameters);
  }

  list(actor: Actor, filters: F, page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>) {
    return this.page(this.filtered(actor, filters), page, 'createdAt');
  }

  /**
   * A page newest first and its total, capped: the count reads at most cap + 1 rows (a full count over a
   * million rows is most of the page's time), so the total is exact up to the cap and `more` says that the
   * cap was reached. Both statements go straight to the pool with one WHERE: the query builder and its
   * hydration were most of the /api/v1 list's CPU (docs/performance.md, aim 2).
   */
  async cappedList(
    actor: Actor,
    filters: F,
    page: Pick<PageQueryDto, 'pageNum' | 'pageSize'>,
    countCap: number,
  ): Promise<[E[], number, boolean]> {
    const a = this.alias;
    const where = this.listWhere(actor, filters, new SqlWhere());
    const from = `${this.table} ${a} WHERE ${where.sql}`;
    const next = where.values.length + 1;
    const [rows, [{ n }]] = await Promise.all([
      queryRows(
        this.dataSource,
        `SELECT ${this.selectList()} FROM ${from}
         ORDER BY ${a}.created_at DESC, ${a}.id DESC LIMIT $${next} OFFSET $${next + 1}`,
        [...where.values, page.pageSize, pageOffset(page)],
      ),
      queryRows<{ n: number }>(
        this.dataSource,
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${from} LIMIT $${next}) AS capped`,
        [...where.values, countCap + 1],
      ),
    ]);
    return [this.hydrate(rows), Math.min(n, countCap), n > countCap];
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
