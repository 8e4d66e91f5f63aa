import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { scopeWhere } from '@app/auth';
import { DataRecordEntity } from '@app/database';
import type { FieldSpec } from '../schema/field-types';
import { expressionOf } from '../views/record-query';

export type RecordStatus = 'live' | 'deleted' | 'any';

export interface RecordRow {
  id: string;
  data: Record<string, unknown>;
  creatorId: string;
  departmentId: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

const COLUMNS: [string, string][] = [
  ['r.id', 'id'],
  ['r.data', 'data'],
  ['r.creator_id', 'creatorId'],
  ['r.department_id', 'departmentId'],
  ['r.version', 'version'],
  ['r.created_at', 'createdAt'],
  ['r.updated_at', 'updatedAt'],
  ['r.deleted_at', 'deletedAt'],
];

const toRow = (raw: Record<string, unknown>): RecordRow => ({
  id: String(raw.id),
  data: raw.data as Record<string, unknown>,
  creatorId: String(raw.creatorId),
  departmentId: raw.departmentId == null ? null : String(raw.departmentId),
  version: Number(raw.version),
  createdAt: raw.createdAt as Date,
  updatedAt: raw.updatedAt as Date,
  deletedAt: (raw.deletedAt as Date | null) ?? null,
});

/**
 * Queries of model records. The caller's data scope (creator, creator's department: `scopeWhere` of
 * `@app/auth`) is in every query, so a record outside it is never loaded: lists skip it, access is 404.
 */
@Injectable()
export class RecordsRepository {
  constructor(private readonly dataSource: DataSource) {}

  visible(
    actor: Actor,
    modelId: string,
    status: RecordStatus,
    manager: EntityManager = this.dataSource.manager,
  ): SelectQueryBuilder<DataRecordEntity> {
    const qb = manager
      .createQueryBuilder(DataRecordEntity, 'r')
      .where('r.model_id = :modelId', { modelId })
      .andWhere(scopeWhere(actor, { owner: 'r.creator_id', department: 'r.department_id' }));
    if (status === 'live') qb.andWhere('r.deleted_at IS NULL');
    if (status === 'deleted') qb.andWhere('r.deleted_at IS NOT NULL');
    return qb;
  }

  /** One record in the caller's scope, locked when a manager is given. */
  async findVisible(
    actor: Actor,
    modelId: string,
    id: string,
    manager?: EntityManager,
  ): Promise<RecordRow | null> {
    const qb = this.visible(actor, modelId, 'any', manager).andWhere('r.id = :id', { id });
    if (manager) qb.setLock('pessimistic_write', undefined, ['r']);
    const raw = await this.select(qb).getRawOne<Record<string, unknown>>();
    return raw ? toRow(raw) : null;
  }

  /**
   * A page in the given order, and the total counted up to `countLimit` matches in a separate statement
   * (the export's chunks; a count must read every matching row, so it costs as much as the filter is wide).
   */
  async page(
    qb: SelectQueryBuilder<DataRecordEntity>,
    order: [string, 'ASC' | 'DESC'][],
    offset: number,
    limit: number,
    countLimit = Number.MAX_SAFE_INTEGER,
  ): Promise<[RecordRow[], number]> {
    const rows = this.select(qb.clone());
    order.forEach(([expr, dir], i) => (i === 0 ? rows.orderBy(expr, dir) : rows.addOrderBy(expr, dir)));
    const [sql, params] = qb.clone().select('1').limit(countLimit).getQueryAndParameters();
    const [found, count] = await Promise.all([
      rows.offset(offset).limit(limit).getRawMany<Record<string, unknown>>(),
      qb.connection.query(`SELECT count(*) AS n FROM (${sql}) counted`, params) as Promise<{ n: string }[]>,
    ]);
    return [found.map(toRow), Number(count[0]?.n ?? 0)];
  }

  /**
   * A list page and its total counted up to `countLimit` matches, in one walk: the matches are taken in
   * page order up to the bound (so the planner walks the sort field's index and stops there, as for the
   * page alone), counted by a window over that bounded set, and the page cut from it. A bounded count in
   * its own statement is the cost this avoids: it reads every match up to the bound from the heap,
   * usually through a bitmap of the widest condition (docs/data-models.md, benchmark).
   */
  async pageCountedAhead(
    qb: SelectQueryBuilder<DataRecordEntity>,
    order: [string, 'ASC' | 'DESC'][],
    offset: number,
    limit: number,
    countLimit: number,
  ): Promise<[RecordRow[], number]> {
    const bounded = this.select(qb.clone());
    order.forEach(([expr, dir], i) => (i === 0 ? bounded.orderBy(expr, dir) : bounded.addOrderBy(expr, dir)));
    const [sql, params] = bounded.limit(countLimit).getQueryAndParameters();
    // a window with an empty OVER () keeps the subquery's order; offset and limit are checked integers
    const raw = (await qb.connection.query(
      `SELECT s.*, count(*) OVER () AS "matchCount" FROM (${sql}) s OFFSET ${Math.trunc(offset)} LIMIT ${Math.trunc(limit)}`,
      params,
    )) as (Record<string, unknown> & { matchCount: string })[];
    if (raw.length > 0) return [raw.map(toRow), Number(raw[0].matchCount)];
    if (offset === 0) return [[], 0];
    // past the last match: the count alone, with the same bound
    const [countSql, countParams] = qb.clone().select('1').limit(countLimit).getQueryAndParameters();
    const count = (await qb.connection.query(
      `SELECT count(*) AS n FROM (${countSql}) counted`,
      countParams,
    )) as { n: string }[];
    return [[], Number(count[0]?.n ?? 0)];
  }

  /** Record counts per value of a group-by field (kanban lanes). */
  async groups(
    qb: SelectQueryBuilder<DataRecordEntity>,
    fields: readonly FieldSpec[],
    fieldId: string,
  ): Promise<{ value: string | null; count: number }[]> {
    const { sql } = expressionOf(fields, fieldId);
    const rows = await qb
      .clone()
      .select(`${sql}::text`, 'value')
      .addSelect('count(*)', 'count')
      .groupBy(sql)
      .orderBy(sql, 'ASC')
      .limit(500)
      .getRawMany<{ value: string | null; count: string }>();
    return rows.map((r) => ({ value: r.value, count: Number(r.count) }));
  }

  async insert(
    manager: EntityManager,
    modelId: string,
    data: Record<string, unknown>,
    actor: Actor,
    departmentId: string | null,
  ): Promise<string> {
    const inserted = await manager.insert(DataRecordEntity, {
      modelId,
      data: data as never,
      creatorId: actor.id,
      departmentId,
    });
    return String(inserted.identifiers[0].id);
  }

  async write(manager: EntityManager, id: string, data: Record<string, unknown>): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DataRecordEntity)
      .set({ data: data as never, version: () => 'version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  async setDeletedAt(manager: EntityManager, id: string, at: Date | null): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(DataRecordEntity)
      .set({ deletedAt: at, version: () => 'version + 1' })
      .where('id = :id', { id })
      .execute();
  }

  /** Which of `ids` are live records of the model that the caller may see (relation values). */
  async visibleIds(
    actor: Actor,
    modelId: string,
    ids: string[],
    manager?: EntityManager,
  ): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.visible(actor, modelId, 'live', manager)
      .andWhere('r.id = ANY(CAST(:ids AS bigint[]))', { ids })
      .select('r.id', 'id')
      .getRawMany<{ id: string }>();
    return new Set(rows.map((r) => String(r.id)));
  }

  /**
   * Values of a unique field already held by another live record of the model, whoever's it is (a unique
   * constraint spans the model, not the caller's scope).
   */
  async takenValues(
    manager: EntityManager,
    modelId: string,
    fields: readonly FieldSpec[],
    fieldId: string,
    values: unknown[],
    exceptId?: string,
  ): Promise<Set<string>> {
    if (values.length === 0) return new Set();
    const { sql } = expressionOf(fields, fieldId);
    const qb = manager
      .createQueryBuilder(DataRecordEntity, 'r')
      .select(`${sql}::text`, 'value')
      .where('r.model_id = :modelId', { modelId })
      .andWhere('r.deleted_at IS NULL')
      .andWhere(`${sql} = ANY(CAST(:values AS ${sql.includes('::numeric') ? 'numeric[]' : 'text[]'}))`, {
        values: values.map(String),
      });
    if (exceptId) qb.andWhere('r.id <> :exceptId', { exceptId });
    const rows = await qb.getRawMany<{ value: string }>();
    return new Set(rows.map((r) => r.value));
  }

  private select(qb: SelectQueryBuilder<DataRecordEntity>): SelectQueryBuilder<DataRecordEntity> {
    qb.select(COLUMNS[0][0], COLUMNS[0][1]);
    for (const [column, alias] of COLUMNS.slice(1)) qb.addSelect(column, alias);
    return qb;
  }
}
