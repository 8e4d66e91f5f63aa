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
    const a = this.alias;
    return qb
      .clone()
      .orderBy(`${a}.${orderColumn}`, 'DESC')
      .addOrderBy(`${a}.id`, 'DESC')
      .offset(pageOffset(query))
      .limit(query.pageSize)
      .getMany();
  }
}
