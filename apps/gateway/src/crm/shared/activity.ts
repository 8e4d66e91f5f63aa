import type { DataSource, EntityManager, EntityTarget, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, type PageQueryDto, toPage } from '@app/common';
import { CustomersRepository } from '../customers/customers.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { ChangeLogService, CrmChange, CrmEntityType } from './change-log.service';
import { CrmException, CrmReason } from './crm.exception';
import type { CrmScopeColumns } from './crm-scope';
import { CrmRecordRepository, type DeletedFilter, type DirectoryRepository } from './record-repository';
import type { StaffDirectory } from './staff-directory';
import { type ChangeDto, clientTime, CRM_LIST_TOTAL_CAP, type TimeWindow } from './crm-dto';
import { Injectable } from '@nestjs/common';

/** What every CRM record has (the columns of `CrmRecordBase`). */
export interface CrmRecord {
  id: string;
  creatorId: string;
  departmentId: string | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What every record filed under an organization has. */
export interface ActivityRecord extends CrmRecord {
  organizationId: string;
}

/** A record that also names staff who follow it, customers it concerns and when it happened. */
export interface LinkedActivityRecord extends ActivityRecord {
  followerIds: string[];
  customerIds: string[];
  recordTime: Date;
}

/** The links a partial update may change (the fields its body names). */
export interface LinkChanges {
  organizationId?: string;
  followerIds?: string[];
  customerIds?: string[];
  recordTime?: string;
}

/**
 * A record table whose lists are windows of a time column (when it happened: `record_time` unless the
 * feature says otherwise), optionally of one organization.
 */
export abstract class ActivityRepository<E extends ActivityRecord> extends CrmRecordRepository<E> {
  /** The column (property) the list window and order use. */
  readonly timeProperty: string = 'recordTime';
  readonly timeColumn: string = 'record_time';

  /** Mine when I created it or follow it; in my department when its creator's department was. */
  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`], followers: `${a}.follower_ids`, department: `${a}.department_id` };
  }

  windowed(
    actor: Actor,
    window: TimeWindow,
    filters: { organizationId?: string; deleted?: DeletedFilter },
  ): SelectQueryBuilder<E> {
    const a = this.alias;
    const qb = this.visible(actor, filters.deleted ?? 'live').andWhere(
      `${a}.${this.timeColumn} BETWEEN :from AND :to`,
      window,
    );
    if (filters.organizationId)
      qb.andWhere(`${a}.organization_id = :organizationId`, { organizationId: filters.organizationId });
    return qb;
  }
}

/** Checks that the records and staff a body names are within the caller's scope (else 404 / 4001). */
@Injectable()
export class LinkChecker {
  constructor(
    private readonly organizations: OrganizationsRepository,
    private readonly customerRecords: CustomersRepository,
  ) {}

  async organization(actor: Actor, id: string): Promise<void> {
    const visible = await this.organizations.visibleIds(actor, [id]);
    if (!visible.has(id)) throw AppException.notFound('organization', id);
  }

  async customers(actor: Actor, ids: readonly string[]): Promise<string[]> {
    const wanted = [...new Set(ids)];
    const visible = await this.customerRecords.visibleIds(actor, wanted);
    const missing = wanted.find((id) => !visible.has(id));
    if (missing) throw AppException.notFound('customer', missing);
    return wanted;
  }

  organizationNames(ids: Iterable<string>) {
    return this.organizations.namesOf(ids);
  }

  customerNames(ids: Iterable<string>) {
    return this.customerRecords.namesOf(ids);
  }
}

/**
 * Create, edit, soft delete and restore of a CRM record within the caller's scope; each change goes to
 * the timeline the record is filed under (`timelineOf`).
 */
export abstract class CrmRecordService<E extends CrmRecord, D> {
  protected abstract readonly entityType: CrmEntityType;
  protected abstract readonly entity: EntityTarget<E>;
  protected abstract readonly repository: CrmRecordRepository<E>;
  protected abstract snapshot(record: E): Record<string, unknown>;
  protected abstract toDtos(records: E[]): Promise<D[]>;
  /** The organization and/or customer whose timeline shows the record's changes. */
  protected abstract timelineOf(record: E): Pick<CrmChange, 'organizationId' | 'customerId'>;
  /** The list's filtered query (its query type per feature) and the time column it is ordered by. */
  protected abstract listQuery(actor: Actor, query: never): SelectQueryBuilder<E>;
  protected abstract listOrder(): string;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly changes: ChangeLogService,
    protected readonly staff: StaffDirectory,
  ) {}

  /** The list's every record, in list order, as DTOs `size` at a time (CSV export streams them). */
  async *listBatches(actor: Actor, query: never, size: number): AsyncGenerator<D[]> {
    for await (const rows of this.repository.batches(this.listQuery(actor, query), this.listOrder(), size))
      yield await this.toDtos(rows);
  }

  async get(actor: Actor, id: string): Promise<D> {
    const found = await this.repository.findVisible(actor, id);
    if (!found) throw AppException.notFound(this.entityType, id);
    return (await this.toDtos([found]))[0];
  }

  /** Inserts a record (values already validated) in the creator's department and files the change. */
  async insert(
    manager: EntityManager,
    actor: Actor,
    values: Partial<E>,
    action: 'created' | 'imported',
  ): Promise<string> {
    const creatorId = values.creatorId ?? actor.id;
    const row = { ...values, creatorId, departmentId: await this.staff.departmentOf(creatorId) };
    const inserted = await manager.insert(this.entity, row as never);
    const id = String(inserted.identifiers[0].id);
    const created = await manager.findOneByOrFail(this.entity, { id } as never);
    await this.changes.record(manager, {
      entityType: this.entityType,
      entityId: id,
      ...this.timelineOf(created),
      action,
      actor,
      after: this.snapshot(created),
    });
    return id;
  }

  /** Applies values to a live record within the scope; returns the values before (for undo). */
  async change(
    manager: EntityManager,
    actor: Actor,
    id: string,
    values: Partial<E>,
    action: 'updated' | 'imported' | 'import_undone',
  ): Promise<Record<string, unknown>> {
    const before = await this.locked(manager, actor, id);
    if (before.deletedAt)
      throw CrmException.inConflict(CrmReason.Deleted, `restore the ${this.entityType} first`);
    const fields = Object.keys(values);
    if (fields.length > 0) await manager.update(this.entity, { id } as never, values as never);
    const after = await manager.findOneByOrFail(this.entity, { id } as never);
    if (fields.length > 0) await this.afterUpdate(manager, before, after);
    await this.changes.record(manager, {
      entityType: this.entityType,
      entityId: id,
      ...this.timelineOf(after),
      action,
      actor,
      before: this.snapshot(before),
      after: this.snapshot(after),
    });
    return Object.fromEntries(fields.map((field) => [field, before[field as keyof E]]));
  }

  /** Soft delete (`deleted = true`) or restore; a no-op when already in that state. */
  async setDeleted(actor: Actor, id: string, deleted: boolean, within?: EntityManager): Promise<D> {
    const work = async (manager: EntityManager) => {
      const before = await this.locked(manager, actor, id);
      if (!!before.deletedAt === deleted) return;
      const deletedAt = deleted ? new Date() : null;
      await manager.update(this.entity, { id } as never, { deletedAt } as never);
      await this.changes.record(manager, {
        entityType: this.entityType,
        entityId: id,
        ...this.timelineOf(before),
        action: deleted ? 'deleted' : 'restored',
        actor,
        before: { deletedAt: before.deletedAt?.toISOString() ?? null },
        after: { deletedAt: deletedAt?.toISOString() ?? null },
      });
    };
    if (within) await work(within);
    else await this.dataSource.transaction(work);
    return this.get(actor, id);
  }

  /** Creates a record of values already checked, in its own transaction. */
  protected insertRecord(actor: Actor, values: Partial<E>): Promise<string> {
    return this.dataSource.transaction((manager) => this.insert(manager, actor, values, 'created'));
  }

  /** Edits a record with values already checked, in its own transaction. */
  protected async updateRecord(actor: Actor, id: string, values: Partial<E>): Promise<void> {
    await this.dataSource.transaction((manager) => this.change(manager, actor, id, values, 'updated'));
  }

  /** Keeps copies in step after an update that set values (a potential's follow-ups carry its organization). */
  protected async afterUpdate(_manager: EntityManager, _before: E, _after: E): Promise<void> {}

  /** The record for a change, or 404; with the row locked. */
  protected async locked(manager: EntityManager, actor: Actor, id: string): Promise<E> {
    const found = await this.repository.findVisible(actor, id, manager);
    if (!found) throw AppException.notFound(this.entityType, id);
    return found;
  }
}

/**
 * Customers and organizations: lists with an exact (legacy) or a capped (/api/v1) total, a timeline, and
 * create and edit from one body type `B` (a create body is an edit body with its required fields).
 */
export abstract class DirectoryService<
  E extends CrmRecord,
  D,
  F extends { status: string },
  B,
> extends CrmRecordService<E, D> {
  protected abstract override readonly repository: DirectoryRepository<E, F>;

  /** The entity values a body sets (only the fields it carries), its links and staff checked against the scope. */
  abstract values(actor: Actor, dto: B): Promise<Partial<E>>;

  async create(actor: Actor, dto: B): Promise<D> {
    const id = await this.insertRecord(actor, await this.values(actor, dto));
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: B): Promise<D> {
    await this.updateRecord(actor, id, await this.values(actor, dto));
    return this.get(actor, id);
  }

  protected listQuery(actor: Actor, query: F): SelectQueryBuilder<E> {
    return this.repository.filtered(actor, query);
  }

  protected listOrder(): string {
    return 'createdAt';
  }

  /** The legacy surfaces' list, with its exact total. */
  async exactList(actor: Actor, query: F & PageQueryDto): Promise<Page<D>> {
    const [rows, total] = await this.repository.list(actor, query, query);
    return toPage(await this.toDtos(rows), total, query);
  }

  /** The /api/v1 list: total exact up to CRM_LIST_TOTAL_CAP, `more` beyond (legacy surfaces keep `exactList`). */
  async list(actor: Actor, query: F & PageQueryDto): Promise<Page<D>> {
    const [rows, total, more] = await this.repository.cappedList(actor, query, query, CRM_LIST_TOTAL_CAP);
    return toPage(await this.toDtos(rows), total, query, more);
  }

  /** Every change filed on the record's timeline, newest first (404 outside the scope). */
  async timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> {
    const found = await this.repository.findVisible(actor, id);
    if (!found) throw AppException.notFound(this.entityType, id);
    const filed = Object.entries(this.timelineOf(found)).filter(([, id]) => id != null);
    return this.changes.timeline(
      Object.fromEntries(filed) as { organizationId?: string; customerId?: string },
      page,
    );
  }
}

/** A record filed under an organization: its changes go to that organization's timeline. */
export abstract class ActivityService<E extends ActivityRecord, D> extends CrmRecordService<E, D> {
  protected abstract override readonly repository: ActivityRepository<E>;

  protected listOrder(): string {
    return this.repository.timeProperty;
  }

  protected timelineOf(record: E): Pick<CrmChange, 'organizationId'> {
    return { organizationId: record.organizationId };
  }

  protected async pageOf(
    qb: SelectQueryBuilder<E>,
    query: { pageNum: number; pageSize: number },
  ): Promise<Page<D>> {
    const [rows, total] = await this.repository.page(qb, query, this.repository.timeProperty);
    return toPage(await this.toDtos(rows), total, query);
  }
}

/**
 * Demands, follow-ups and satisfaction feedback: records with followers, customers and a record time,
 * whose links are checked against the caller's scope the same way and whose pages show the same names.
 */
export abstract class LinkedActivityService<E extends LinkedActivityRecord, D> extends ActivityService<E, D> {
  protected abstract readonly links: LinkChecker;
  protected abstract readonly timeZone: string;

  /** The changed links of a partial update, each checked (unknown or out of scope → 404 / 4001). */
  protected async linkChanges(actor: Actor, dto: LinkChanges): Promise<Partial<E>> {
    const values: Partial<LinkedActivityRecord> = {};
    if (dto.organizationId !== undefined) {
      await this.links.organization(actor, dto.organizationId);
      values.organizationId = dto.organizationId;
    }
    if (dto.followerIds !== undefined) {
      await this.staff.assertInScope(actor, dto.followerIds, 'followerIds');
      values.followerIds = [...new Set(dto.followerIds)];
    }
    if (dto.customerIds !== undefined)
      values.customerIds = await this.links.customers(actor, dto.customerIds);
    if (dto.recordTime !== undefined)
      values.recordTime = clientTime(dto.recordTime, this.timeZone, 'recordTime')!;
    return values as Partial<E>;
  }

  /** Names of the staff, organizations and customers a page of these records shows. */
  protected linkedNames(rows: E[]): Promise<[Map<string, string>, Map<string, string>, Map<string, string>]> {
    return Promise.all([
      this.staff.names(rows.flatMap((r) => [r.creatorId, ...r.followerIds.map(String)])),
      this.links.organizationNames(rows.map((r) => r.organizationId)),
      this.links.customerNames(rows.flatMap((r) => r.customerIds.map(String))),
    ]);
  }
}
