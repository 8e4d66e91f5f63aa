import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor, FieldError } from '@app/contracts';
import { AppException, type Page, pageOffset, type PageQueryDto, toPage } from '@app/common';
import type { DataModelEntity } from '@app/database';
import { GatewayEnv } from '../../config/gateway.env';
import { type ChangeDto } from '../../crm/shared/crm-dto';
import { type CrmChangeAction, ChangeLogService } from '../../crm/shared/change-log.service';
import { StaffDirectory } from '../../crm/shared/staff-directory';
import { DirectoryRepository } from '../../identity/directory/directory.repository';
import type { GroupCountDto, RecordDto, RecordListQueryDto, RecordPageDto } from '../data-models.dto';
import { DataModelException, DataModelReason } from '../data-models.exception';
import { type FieldSpec, validateValues } from '../schema/field-types';
import { ModelsRepository } from '../schema/models.repository';
import { ModelsService, specsOf } from '../schema/models.service';
import { compileFilter, compileOrder, QueryParams } from '../views/record-query';
import { ViewsService } from '../views/views.service';
import { type RecordRow, RecordsRepository } from './records.repository';

/** Values keyed by field key (deprecated fields included: their data is kept and readable). */
export function valuesByKey(
  fields: readonly FieldSpec[],
  data: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) if (data[field.id] !== undefined) values[field.key] = data[field.id];
  return values;
}

/**
 * List totals are exact while the matches end within this many pages after the requested one; beyond,
 * `total` is that bound and `totalCapped` is true (see `list`).
 */
export const COUNT_AHEAD_PAGES = 5;

/** A value error of one field, as the write's 4101 lists it. */
type Problems = FieldError[];

/**
 * Records of user-defined models: create, read, update, soft delete and restore within the caller's
 * data scope, every change in the change log (the CRM's `crm_change`, entity type `data_record`).
 */
@Injectable()
export class RecordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelsService,
    private readonly modelRows: ModelsRepository,
    private readonly records: RecordsRepository,
    private readonly views: ViewsService,
    private readonly changes: ChangeLogService,
    private readonly staff: StaffDirectory,
    private readonly directory: DirectoryRepository,
    private readonly config: GatewayEnv,
  ) {}

  get timeZone(): string {
    return this.config.TZ_BUSINESS;
  }

  /**
   * A page of records. `total` is exact up to the end of the COUNT_AHEAD_PAGES pages after this one
   * (offset + (1 + COUNT_AHEAD_PAGES) × pageSize matches); past that bound it is the bound and
   * `totalCapped` is true. `hasMore` says whether a next page exists. Counting further would read every
   * match from the heap, which is what made wide filters slow (docs/data-models.md, benchmark).
   */
  async list(actor: Actor, key: string, query: RecordListQueryDto): Promise<RecordPageDto> {
    const model = await this.models.load(key);
    const offset = pageOffset(query);
    const bound = offset + (1 + COUNT_AHEAD_PAGES) * query.pageSize;
    const [rows, counted] = await this.query(actor, model, query, offset, query.pageSize, bound + 1);
    return {
      ...toPage(await this.dtos(model, rows), Math.min(counted, bound), query),
      totalCapped: counted > bound,
      hasMore: counted > offset + rows.length,
    };
  }

  /**
   * One page of the records a list request selects: with `countLimit`, the total counted up to it along
   * the page's own index walk (lists); without, an exact count (the export's chunks, which refuse more
   * than their maximum anyway).
   */
  async query(
    actor: Actor,
    model: DataModelEntity,
    query: { view?: string; filter?: string; sort?: string; status?: 'live' | 'deleted' },
    offset: number,
    limit: number,
    countLimit?: number,
  ): Promise<[RecordRow[], number]> {
    const fields = specsOf(model);
    const resolved = await this.views.resolve(actor, model, query);
    const qb = this.records.visible(actor, model.id, query.status ?? 'live');
    const params = new QueryParams();
    const where = compileFilter(fields, resolved.filter, params, this.caller(actor));
    if (where) qb.andWhere(where, params.values);
    const order = compileOrder(fields, resolved.sorts, resolved.groupBy);
    return countLimit === undefined
      ? this.records.page(qb, order, offset, limit)
      : this.records.pageCountedAhead(qb, order, offset, limit, countLimit);
  }

  /** Counts per lane of the view's group-by field, with the same filters as the list. */
  async groups(actor: Actor, key: string, query: RecordListQueryDto): Promise<GroupCountDto[]> {
    const model = await this.models.load(key);
    const fields = specsOf(model);
    const resolved = await this.views.resolve(actor, model, query);
    if (!resolved.groupBy)
      throw AppException.invalid([{ field: 'view', reason: 'the view has no group-by field' }]);
    const qb = this.records.visible(actor, model.id, query.status);
    const params = new QueryParams();
    const where = compileFilter(fields, resolved.filter, params, this.caller(actor));
    if (where) qb.andWhere(where, params.values);
    return this.records.groups(qb, fields, resolved.groupBy);
  }

  async get(actor: Actor, key: string, id: string): Promise<RecordDto> {
    const model = await this.models.load(key);
    const row = await this.records.findVisible(actor, model.id, id);
    if (!row) throw AppException.notFound('record', id);
    return (await this.dtos(model, [row]))[0];
  }

  /** The record within the caller's scope (for flows started from it), or 404. */
  async load(actor: Actor, model: DataModelEntity, id: string): Promise<RecordRow> {
    const row = await this.records.findVisible(actor, model.id, id);
    if (!row || row.deletedAt) throw AppException.notFound('record', id);
    return row;
  }

  async create(actor: Actor, key: string, values: Record<string, unknown>): Promise<RecordDto> {
    const model = await this.models.load(key);
    const id = await this.dataSource.transaction(async (manager) => {
      const data = await this.prepare(manager, actor, model, values, 'create');
      return this.insert(manager, actor, model, data, 'created');
    });
    return this.get(actor, key, id);
  }

  /** Inserts checked data and logs it; maps a lost unique race to the field's 4101. */
  async insert(
    manager: EntityManager,
    actor: Actor,
    model: DataModelEntity,
    data: Record<string, unknown>,
    action: CrmChangeAction,
    departmentId?: string | null,
  ): Promise<string> {
    const department = departmentId !== undefined ? departmentId : await this.departmentOf(actor);
    const id = await this.guardUnique(model, () =>
      this.records.insert(manager, model.id, data, actor, department),
    );
    await this.changes.record(manager, {
      entityType: 'data_record',
      entityId: id,
      action,
      actor,
      after: valuesByKey(specsOf(model), data),
    });
    return id;
  }

  async update(
    actor: Actor,
    key: string,
    id: string,
    values: Record<string, unknown>,
    version?: number,
  ): Promise<RecordDto> {
    const model = await this.models.load(key);
    await this.dataSource.transaction(async (manager) => {
      const row = await this.records.findVisible(actor, model.id, id, manager);
      if (!row) throw AppException.notFound('record', id);
      if (row.deletedAt)
        throw DataModelException.conflict(DataModelReason.Deleted, 'restore the record first');
      if (version !== undefined && version !== row.version)
        throw DataModelException.stale(`record ${id}`, row.version);
      const changed = await this.prepare(manager, actor, model, values, 'update', id);
      const data = { ...row.data };
      for (const [fieldId, value] of Object.entries(changed))
        if (value === null) delete data[fieldId];
        else data[fieldId] = value;
      await this.guardUnique(model, () => this.records.write(manager, id, data));
      const fields = specsOf(model);
      await this.changes.record(manager, {
        entityType: 'data_record',
        entityId: id,
        action: 'updated',
        actor,
        before: valuesByKey(fields, row.data),
        after: valuesByKey(fields, data),
      });
    });
    return this.get(actor, key, id);
  }

  /** Soft delete (`deleted: true`) or restore; a restore that would break a unique field is 4101. */
  async setDeleted(actor: Actor, key: string, id: string, deleted: boolean): Promise<RecordDto> {
    const model = await this.models.load(key);
    await this.dataSource.transaction((manager) => this.setDeletedIn(manager, actor, model, id, deleted));
    return this.get(actor, key, id);
  }

  async setDeletedIn(
    manager: EntityManager,
    actor: Actor,
    model: DataModelEntity,
    id: string,
    deleted: boolean,
    action?: CrmChangeAction,
  ): Promise<void> {
    const row = await this.records.findVisible(actor, model.id, id, manager);
    if (!row) throw AppException.notFound('record', id);
    if (deleted === !!row.deletedAt)
      throw DataModelException.conflict(
        deleted ? DataModelReason.Deleted : DataModelReason.NotDeleted,
        deleted ? 'the record is deleted already' : 'the record is not deleted',
      );
    const at = deleted ? new Date() : null;
    await this.guardUnique(model, () => this.records.setDeletedAt(manager, id, at));
    await this.changes.record(manager, {
      entityType: 'data_record',
      entityId: id,
      action: action ?? (deleted ? 'deleted' : 'restored'),
      actor,
      before: { deletedAt: row.deletedAt },
      after: { deletedAt: at },
    });
  }

  async history(actor: Actor, key: string, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> {
    const model = await this.models.load(key);
    if (!(await this.records.findVisible(actor, model.id, id))) throw AppException.notFound('record', id);
    return this.changes.timeline({ entityType: 'data_record', entityId: id }, page);
  }

  /**
   * Checks a write: values per field (4101 naming `values.<key>`), then what needs the database — member,
   * department and relation ids that exist (relations: within the caller's scope), unique values free.
   * Returns the field-id data to store (`null` clears).
   */
  async prepare(
    manager: EntityManager,
    actor: Actor,
    model: DataModelEntity,
    values: Record<string, unknown>,
    mode: 'create' | 'update',
    exceptId?: string,
    options: { csv?: boolean; prefix?: string } = {},
  ): Promise<Record<string, unknown>> {
    const { data, errors } = validateValues(specsOf(model), values, mode, this.timeZone, options);
    errors.push(...((await this.lookups(manager, actor, model, [data], options.prefix)).get(0) ?? []));
    if (errors.length === 0)
      errors.push(...(await this.uniqueProblems(manager, model, data, exceptId, options.prefix)));
    if (errors.length) throw DataModelException.invalid(errors);
    return data;
  }

  /** Reference checks of many rows at once (CSV import); problems per row index. */
  async lookups(
    manager: EntityManager,
    actor: Actor,
    model: DataModelEntity,
    rows: Record<string, unknown>[],
    prefix = 'values.',
  ): Promise<Map<number, Problems>> {
    const problems = new Map<number, Problems>();
    const fields = specsOf(model);
    const idsOf = (field: FieldSpec) => [
      ...new Set(rows.map((r) => r[field.id]).filter((v): v is string => typeof v === 'string')),
    ];
    for (const field of fields) {
      if (!['member', 'department', 'relation'].includes(field.type)) continue;
      const wanted = idsOf(field);
      if (wanted.length === 0) continue;
      let found: Set<string>;
      if (field.type === 'member')
        found = new Set((await this.directory.members(wanted, manager)).map((m) => m.id));
      else if (field.type === 'department') found = await this.directory.existingDepartments(wanted, manager);
      else {
        const target =
          field.options?.model === model.key
            ? model
            : await this.modelRows.findByKey(field.options!.model!, manager);
        found = target ? await this.records.visibleIds(actor, target.id, wanted, manager) : new Set();
      }
      rows.forEach((row, index) => {
        const value = row[field.id];
        if (typeof value === 'string' && !found.has(value))
          problems.set(index, [
            ...(problems.get(index) ?? []),
            {
              field: `${prefix}${field.key}`,
              reason:
                field.type === 'member'
                  ? 'unknown staff id'
                  : field.type === 'department'
                    ? 'unknown department id'
                    : `no ${field.options?.model} record ${value}`,
            },
          ]);
      });
    }
    return problems;
  }

  /** Unique fields whose new value another live record holds already. */
  async uniqueProblems(
    manager: EntityManager,
    model: DataModelEntity,
    data: Record<string, unknown>,
    exceptId?: string,
    prefix = 'values.',
  ): Promise<Problems> {
    const problems: Problems = [];
    const fields = specsOf(model);
    for (const field of fields.filter((f) => f.unique && data[f.id] !== undefined && data[f.id] !== null)) {
      const taken = await this.records.takenValues(
        manager,
        model.id,
        fields,
        field.id,
        [data[field.id]],
        exceptId,
      );
      if (taken.size > 0)
        problems.push({ field: `${prefix}${field.key}`, reason: 'is already used by another record' });
    }
    return problems;
  }

  async dtos(model: DataModelEntity, rows: RecordRow[]): Promise<RecordDto[]> {
    const fields = specsOf(model);
    const names = await this.staff.names(rows.map((r) => r.creatorId));
    return rows.map((r) => ({
      id: r.id,
      model: model.key,
      values: valuesByKey(fields, r.data),
      creatorId: r.creatorId,
      creatorName: names.get(r.creatorId) ?? null,
      departmentId: r.departmentId,
      version: r.version,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
      deletedAt: r.deletedAt?.toISOString() ?? null,
    }));
  }

  async departmentOf(actor: Actor): Promise<string | null> {
    return actor.departmentId ?? (await this.staff.departmentOf(actor.id));
  }

  private caller(actor: Actor) {
    return { actorId: actor.id, departmentId: actor.departmentId ?? null };
  }

  /** A unique index that refuses a write (a race the pre-check lost) is the field's 4101, not a 500. */
  private async guardUnique<T>(model: DataModelEntity, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      const match = code === '23505' ? /^uq_dr_\d+_(f\d+)$/.exec(constraint ?? '') : null;
      if (!match) throw error;
      const field = specsOf(model).find((f) => f.id === match[1]);
      throw DataModelException.invalid([
        { field: `values.${field?.key ?? match[1]}`, reason: 'is already used by another record' },
      ]);
    }
  }
}
