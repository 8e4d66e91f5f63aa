import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, parseCsvRows, toCsv } from '@app/common';
import { CrmImportEntity, type DataModelEntity } from '@app/database';
import { crmScopeWhere } from '../../crm/shared/crm-scope';
import type { ExportQueryDto, RecordImportDto, RecordImportReplyDto } from '../data-models.dto';
import { DataModelException, DataModelReason } from '../data-models.exception';
import { type FieldSpec, validateValues } from '../schema/field-types';
import { ModelsService, specsOf } from '../schema/models.service';
import { RecordsService } from './records.service';

export const MAX_EXPORT_ROWS = 100_000;
const CHUNK = 1000;

interface RowError {
  row: number;
  field: string;
  reason: string;
}

/** Imports of a model share the CRM's import table, told apart by `entity = model:<id>`. */
const entityOf = (model: DataModelEntity) => `model:${model.id}`;

/** A stored value as CSV text: lists joined by `;`, JSON as JSON. */
function cell(field: FieldSpec, value: unknown): unknown {
  if (value === undefined || value === null) return '';
  if (field.type === 'multi_select' || field.type === 'attachment') return (value as string[]).join(';');
  if (field.type === 'json') return JSON.stringify(value);
  return value;
}

/**
 * CSV import and export of model records. Import: a dry run reports every bad row (the same per-field
 * checks as a single write, plus duplicates inside the file); applying creates all rows or none; an
 * applied import can be undone (its records soft deleted). Export: the rows a list request (view, filter,
 * sort) selects within the caller's scope, never deleted ones.
 */
@Injectable()
export class RecordCsvService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly models: ModelsService,
    private readonly records: RecordsService,
  ) {}

  async import(actor: Actor, key: string, dto: RecordImportDto): Promise<RecordImportReplyDto> {
    const model = await this.models.load(key);
    const run = async (manager: EntityManager) => {
      const { rows, errors, rowCount } = await this.plan(manager, actor, model, dto.csv);
      const base = {
        entity: entityOf(model),
        creatorId: actor.id,
        departmentId: await this.records.departmentOf(actor),
        rowCount,
        errors,
      };
      if (dto.dryRun) {
        const inserted = await manager.insert(CrmImportEntity, {
          ...base,
          status: 'dry_run',
          createdIds: [],
          updated: [],
        });
        return String(inserted.identifiers[0].id);
      }
      if (errors.length > 0)
        throw DataModelException.invalid(
          errors.map((e) => ({ field: `rows[${e.row - 1}].${e.field}`, reason: e.reason })),
          `${new Set(errors.map((e) => e.row)).size} invalid row(s): nothing imported`,
        );
      const createdIds: string[] = [];
      for (const data of rows)
        createdIds.push(
          await this.records.insert(manager, actor, model, data, 'imported', base.departmentId),
        );
      const inserted = await manager.insert(CrmImportEntity, {
        ...base,
        status: 'applied',
        createdIds,
        updated: [],
      });
      return String(inserted.identifiers[0].id);
    };
    const id = dto.dryRun ? await run(this.dataSource.manager) : await this.dataSource.transaction(run);
    return this.get(actor, key, id);
  }

  async get(actor: Actor, key: string, id: string, manager?: EntityManager): Promise<RecordImportReplyDto> {
    const model = await this.models.load(key);
    const found = await this.find(actor, model, id, manager ?? this.dataSource.manager);
    const badRows = new Set(found.errors.map((e) => e.row)).size;
    return {
      id: found.id,
      model: model.key,
      status: found.status,
      rowCount: found.rowCount,
      created: found.status === 'dry_run' ? found.rowCount - badRows : found.createdIds.length,
      errors: found.errors,
      createdAt: found.createdAt.toISOString(),
      undoneAt: found.undoneAt?.toISOString() ?? null,
    };
  }

  /** Soft deletes what an applied import created (records deleted since stay deleted). */
  async undo(actor: Actor, key: string, id: string): Promise<RecordImportReplyDto> {
    const model = await this.models.load(key);
    await this.dataSource.transaction(async (manager) => {
      const found = await this.find(actor, model, id, manager, true);
      if (found.status !== 'applied')
        throw DataModelException.conflict(
          DataModelReason.ImportState,
          `only an applied import can be undone (this one is ${found.status})`,
        );
      for (const createdId of found.createdIds) {
        const live = await manager.query(
          `SELECT 1 FROM core.data_record WHERE id = $1 AND model_id = $2 AND deleted_at IS NULL`,
          [createdId, model.id],
        );
        if ((live as unknown[]).length)
          await this.records.setDeletedIn(manager, actor, model, String(createdId), true, 'import_undone');
      }
      await manager.update(CrmImportEntity, { id }, { status: 'undone', undoneAt: new Date() });
    });
    return this.get(actor, key, id);
  }

  /** The CSV text (UTF-8 with a BOM for spreadsheet programs): id, the fields by key, creator, times. */
  async export(actor: Actor, key: string, query: ExportQueryDto): Promise<string> {
    const model = await this.models.load(key);
    const fields = specsOf(model);
    const lines: unknown[][] = [['id', ...fields.map((f) => f.key), 'creatorId', 'createdAt', 'updatedAt']];
    for (let offset = 0; ; offset += CHUNK) {
      const [rows, total] = await this.records.query(
        actor,
        model,
        { ...query, status: 'live' },
        offset,
        CHUNK,
      );
      if (total > MAX_EXPORT_ROWS)
        throw AppException.invalid([
          { field: 'filter', reason: `${total} rows: narrow the filter to at most ${MAX_EXPORT_ROWS}` },
        ]);
      for (const r of rows)
        lines.push([
          r.id,
          ...fields.map((f) => cell(f, r.data[f.id])),
          r.creatorId,
          r.createdAt.toISOString(),
          r.updatedAt.toISOString(),
        ]);
      if (offset + CHUNK >= total) break;
    }
    return toCsv(lines);
  }

  private async plan(
    manager: EntityManager,
    actor: Actor,
    model: DataModelEntity,
    csv: string,
  ): Promise<{ rows: Record<string, unknown>[]; errors: RowError[]; rowCount: number }> {
    const records = parseCsvRows(csv);
    const fields = specsOf(model).filter((f) => !f.deprecated);
    const byHeader = new Map<string, FieldSpec>();
    for (const f of fields) byHeader.set(f.name, f);
    for (const f of fields) byHeader.set(f.key, f); // a key wins over a display name
    const headers = Object.keys(records[0]);
    const unknown = headers.filter((h) => !byHeader.has(h));
    if (unknown.length)
      throw AppException.invalid([
        { field: 'csv', reason: `unknown column(s): ${unknown.join(', ')}; columns are field keys or names` },
      ]);
    const errors: RowError[] = [];
    const planned: { row: number; data: Record<string, unknown> }[] = [];
    for (const [index, record] of records.entries()) {
      const values: Record<string, unknown> = {};
      for (const header of headers)
        if (record[header] !== '') values[byHeader.get(header)!.key] = record[header];
      const checked = validateValues(fields, values, 'create', this.records.timeZone, {
        csv: true,
        prefix: '',
      });
      for (const e of checked.errors) errors.push({ row: index + 1, field: e.field, reason: e.reason });
      if (checked.errors.length === 0) planned.push({ row: index + 1, data: checked.data });
    }
    const lookups = await this.records.lookups(
      manager,
      actor,
      model,
      planned.map((p) => p.data),
      '',
    );
    const rows: Record<string, unknown>[] = [];
    const seen = new Map<string, number>();
    for (const [i, { row, data }] of planned.entries()) {
      const problems = [...(lookups.get(i) ?? [])];
      if (problems.length === 0)
        problems.push(...(await this.records.uniqueProblems(manager, model, data, undefined, '')));
      for (const field of fields.filter((f) => f.unique && data[f.id] !== undefined)) {
        const at = `${field.id}:${JSON.stringify(data[field.id])}`;
        if (seen.has(at)) problems.push({ field: field.key, reason: `same value as row ${seen.get(at)}` });
        else seen.set(at, row);
      }
      for (const p of problems) errors.push({ row, field: p.field, reason: p.reason });
      if (problems.length === 0) rows.push(data);
    }
    errors.sort((a, b) => a.row - b.row);
    return { rows, errors, rowCount: records.length };
  }

  private async find(actor: Actor, model: DataModelEntity, id: string, manager: EntityManager, lock = false) {
    const qb = manager
      .createQueryBuilder(CrmImportEntity, 'i')
      .where('i.id = :id AND i.entity = :entity', { id, entity: entityOf(model) })
      .andWhere(crmScopeWhere(actor, { owners: ['i.creator_id'], department: 'i.department_id' }));
    if (lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    if (!found) throw AppException.notFound('import', id);
    return found;
  }
}
