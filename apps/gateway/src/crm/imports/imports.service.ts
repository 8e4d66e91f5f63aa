import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { type Actor, flattenValidationErrors } from '@app/contracts';
import { AppException, parseCsvRows } from '@app/common';
import { CrmImportEntity } from '@app/database';
import { CreateCustomerDto } from '../customers/customer.dto';
import { CustomersRepository } from '../customers/customers.repository';
import { CustomersService } from '../customers/customers.service';
import { CreateOrganizationDto, ORGANIZATION_FIELDS } from '../organizations/organization.dto';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import { OrganizationsService } from '../organizations/organizations.service';
import { CrmException, CrmReason } from '../shared/crm.exception';
import { crmScopeWhere } from '../shared/crm-scope';
import { StaffDirectory } from '../shared/staff-directory';
import { type CreateImportDto, IMPORT_ENTITIES, type ImportDto, type ImportEntity } from './import.dto';

const COLUMNS: Record<ImportEntity, readonly string[]> = {
  organizations: ORGANIZATION_FIELDS,
  customers: [
    'realName',
    'phone',
    'code',
    'nickName',
    'type',
    'job',
    'sex',
    'level',
    'note',
    'stage',
    'comment',
    'organizationNames',
  ],
};
const NUMERIC = new Set(['level', 'stage']);

interface RowError {
  row: number;
  field: string;
  reason: string;
}

interface PlannedRow {
  /** the record to update, or null to create */
  targetId: string | null;
  values: Record<string, unknown>;
}

/**
 * CSV import of organizations and customers: a dry run reports every bad row; applying creates or updates
 * (organizations by name, customers by phone, else by name) in one transaction, all rows or none; an
 * applied import can be undone (created records soft deleted, updated fields put back).
 */
@Injectable()
export class ImportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsService,
    private readonly organizationRecords: OrganizationsRepository,
    private readonly customers: CustomersService,
    private readonly customerRecords: CustomersRepository,
    private readonly staff: StaffDirectory,
  ) {}

  async run(actor: Actor, dto: CreateImportDto): Promise<ImportDto> {
    const { plan, errors } = await this.plan(actor, dto.entity, dto.csv);
    const base = {
      entity: dto.entity,
      creatorId: actor.id,
      departmentId: actor.departmentId ?? (await this.staff.departmentOf(actor.id)),
      rowCount: plan.length + new Set(errors.map((e) => e.row)).size,
      errors,
    };
    if (dto.dryRun) {
      const inserted = await this.dataSource.manager.insert(CrmImportEntity, {
        ...base,
        status: 'dry_run',
        createdIds: [],
        updated: plan.filter((p) => p.targetId).map((p) => ({ id: p.targetId!, before: {} })) as never,
      });
      return this.get(actor, String(inserted.identifiers[0].id));
    }
    if (errors.length > 0)
      throw CrmException.rejected(
        CrmReason.InvalidImport,
        `${new Set(errors.map((e) => e.row)).size} invalid row(s): nothing imported`,
        errors.map((e) => ({ field: `rows[${e.row - 1}].${e.field}`, reason: e.reason })),
      );
    const id = await this.dataSource.transaction(async (manager) => {
      const createdIds: string[] = [];
      const updated: { id: string; before: Record<string, unknown> }[] = [];
      for (const row of plan) {
        if (row.targetId) {
          const before =
            dto.entity === 'organizations'
              ? await this.organizations.change(manager, actor, row.targetId, row.values, 'imported')
              : await this.customers.change(manager, actor, row.targetId, row.values, 'imported');
          updated.push({ id: row.targetId, before });
        } else {
          createdIds.push(
            dto.entity === 'organizations'
              ? await this.organizations.insert(manager, actor, row.values, 'imported')
              : await this.customers.insert(manager, actor, row.values, 'imported'),
          );
        }
      }
      const inserted = await manager.insert(CrmImportEntity, {
        ...base,
        status: 'applied',
        createdIds,
        updated: updated as never,
      });
      return String(inserted.identifiers[0].id);
    });
    return this.get(actor, id);
  }

  async get(actor: Actor, id: string, manager: EntityManager = this.dataSource.manager): Promise<ImportDto> {
    const found = await this.find(actor, id, manager);
    const errors = found.errors;
    return {
      id: found.id,
      entity: found.entity,
      status: found.status,
      rowCount: found.rowCount,
      created:
        found.status === 'dry_run'
          ? found.rowCount - new Set(errors.map((e) => e.row)).size - found.updated.length
          : found.createdIds.length,
      updated: found.updated.length,
      errors,
      createdAt: found.createdAt.toISOString(),
      undoneAt: found.undoneAt?.toISOString() ?? null,
    };
  }

  /** Puts back what an applied import changed: created records are soft deleted, updated fields restored. */
  async undo(actor: Actor, id: string): Promise<ImportDto> {
    await this.dataSource.transaction(async (manager) => {
      const found = await this.find(actor, id, manager, true);
      if (found.status !== 'applied')
        throw CrmException.inConflict(
          CrmReason.ImportState,
          `only an applied import can be undone (this one is ${found.status})`,
        );
      const entity = found.entity as ImportEntity;
      for (const createdId of found.createdIds) {
        if (entity === 'organizations')
          await this.organizations.setDeleted(actor, String(createdId), true, manager);
        else await this.customers.setDeleted(actor, String(createdId), true, manager);
      }
      for (const { id: targetId, before } of found.updated) {
        const values = this.revive(entity, before);
        if (entity === 'organizations')
          await this.organizations.change(manager, actor, targetId, values, 'import_undone');
        else await this.customers.change(manager, actor, targetId, values, 'import_undone');
      }
      await manager.update(CrmImportEntity, { id }, { status: 'undone', undoneAt: new Date() });
    });
    return this.get(actor, id);
  }

  private async find(
    actor: Actor,
    id: string,
    manager: EntityManager,
    lock = false,
  ): Promise<CrmImportEntity> {
    const qb = manager
      .createQueryBuilder(CrmImportEntity, 'i')
      .where('i.id = :id', { id })
      .andWhere('i.entity IN (:...entities)', { entities: IMPORT_ENTITIES }) // model imports share the table
      .andWhere(crmScopeWhere(actor, { owners: ['i.creator_id'], department: 'i.department_id' }));
    if (lock) qb.setLock('pessimistic_write');
    const found = await qb.getOne();
    if (!found) throw AppException.notFound('import', id);
    return found;
  }

  /** jsonb keeps dates as strings: turn the time columns back into dates. */
  private revive(entity: ImportEntity, before: Record<string, unknown>): Record<string, unknown> {
    const values = { ...before };
    if (entity === 'customers')
      for (const key of ['vipDueTime', 'navigationDueTime'])
        if (typeof values[key] === 'string') values[key] = new Date(values[key] as string);
    return values;
  }

  private async plan(
    actor: Actor,
    entity: ImportEntity,
    csv: string,
  ): Promise<{ plan: PlannedRow[]; errors: RowError[] }> {
    const records = parseCsvRows(csv);
    const unknown = Object.keys(records[0]).filter((c) => !COLUMNS[entity].includes(c));
    if (unknown.length)
      throw AppException.invalid([
        {
          field: 'csv',
          reason: `unknown column(s): ${unknown.join(', ')}; allowed: ${COLUMNS[entity].join(', ')}`,
        },
      ]);

    const errors: RowError[] = [];
    const plan: PlannedRow[] = [];
    const seen = new Map<string, number>();
    const organizationIds =
      entity === 'customers' ? await this.organizationIdsByName(actor, records) : new Map<string, string[]>();
    for (const [index, record] of records.entries()) {
      const row = index + 1;
      const fields: Record<string, unknown> = {};
      for (const [key, raw] of Object.entries(record)) {
        if (raw === '' || key === 'organizationNames') continue;
        fields[key] = NUMERIC.has(key) && /^-?\d+$/.test(raw) ? Number(raw) : raw;
      }
      const errorsBefore = errors.length;
      if (entity === 'customers' && record.organizationNames) {
        const ids: string[] = [];
        for (const name of record.organizationNames
          .split(/[;；|]/)
          .map((n) => n.trim())
          .filter(Boolean)) {
          const matches = organizationIds.get(name) ?? [];
          if (matches.length !== 1)
            errors.push({
              row,
              field: 'organizationNames',
              reason: matches.length ? `"${name}" is ambiguous` : `no organization "${name}"`,
            });
          else ids.push(matches[0]);
        }
        fields.organizationIds = ids;
      }
      const dto: object =
        entity === 'organizations'
          ? plainToInstance(CreateOrganizationDto, fields)
          : plainToInstance(CreateCustomerDto, fields);
      const found = await validate(dto, {
        whitelist: true,
        validationError: { target: false, value: false },
      });
      const reported = new Set<string>();
      for (const e of flattenValidationErrors(found)) {
        if (reported.has(e.field)) continue; // the first reason per field is enough
        reported.add(e.field);
        errors.push({ row, field: e.field, reason: e.reason });
      }
      // a row with any error is reported, never planned (an unknown organization was counted twice)
      if (errors.length > errorsBefore) continue;
      const key =
        entity === 'organizations'
          ? `name:${String(fields.name)}`
          : fields.phone
            ? `phone:${String(fields.phone)}`
            : `name:${String(fields.realName)}`;
      if (seen.has(key)) {
        errors.push({
          row,
          field: key.split(':')[0] === 'phone' ? 'phone' : entity === 'organizations' ? 'name' : 'realName',
          reason: `same record as row ${seen.get(key)}`,
        });
        continue;
      }
      seen.set(key, row);
      const targets = await this.matches(actor, entity, key);
      if (targets.length > 1) {
        errors.push({
          row,
          field: key.split(':')[0],
          reason: `matches ${targets.length} records: make it unique first`,
        });
        continue;
      }
      try {
        const values =
          entity === 'organizations'
            ? await this.organizations.values(actor, dto as CreateOrganizationDto)
            : await this.customers.values(actor, dto as CreateCustomerDto);
        plan.push({ targetId: targets[0] ?? null, values });
      } catch (error) {
        if (!(error instanceof AppException)) throw error;
        const fieldErrors = error.errors ?? [{ field: 'row', reason: error.message }];
        for (const e of fieldErrors) errors.push({ row, field: e.field, reason: e.reason });
      }
    }
    return { plan, errors };
  }

  /** Live records in the caller's scope with the row's natural key. */
  private async matches(actor: Actor, entity: ImportEntity, key: string): Promise<string[]> {
    const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const qb =
      entity === 'organizations'
        ? this.organizationRecords.visible(actor, 'live').andWhere('o.name = :value', { value })
        : this.customerRecords
            .visible(actor, 'live')
            .andWhere(kind === 'phone' ? 'c.phone = :value' : 'c.real_name = :value', { value });
    const alias = entity === 'organizations' ? 'o' : 'c';
    const rows = await qb.select(`${alias}.id`, 'id').limit(2).getRawMany<{ id: string }>();
    return rows.map((r) => String(r.id));
  }

  /** Organization names used by a customer file → ids of live organizations in scope with that name. */
  private async organizationIdsByName(
    actor: Actor,
    records: Record<string, string>[],
  ): Promise<Map<string, string[]>> {
    const names = [
      ...new Set(
        records.flatMap((r) =>
          (r.organizationNames ?? '')
            .split(/[;；|]/)
            .map((n) => n.trim())
            .filter(Boolean),
        ),
      ),
    ];
    const map = new Map<string, string[]>();
    if (names.length === 0) return map;
    const rows = await this.organizationRecords
      .visible(actor, 'live')
      .andWhere('o.name IN (:...names)', { names })
      .select(['o.id', 'o.name'])
      .getMany();
    for (const row of rows) map.set(row.name, [...(map.get(row.name) ?? []), row.id]);
    return map;
  }
}
