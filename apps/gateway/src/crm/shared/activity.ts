import type { DataSource, EntityManager, EntityTarget, SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, toPage } from '@app/common';
import { CustomersRepository } from '../customers/customers.repository';
import { OrganizationsRepository } from '../organizations/organizations.repository';
import type { ChangeLogService, CrmEntityType } from './change-log.service';
import { CrmException, CrmReason } from './crm.exception';
import { CrmRecordRepository, type DeletedFilter } from './record-repository';
import type { StaffDirectory } from './staff-directory';
import type { TimeWindow } from './crm-dto';
import { Injectable } from '@nestjs/common';

/** What every record filed under an organization has. */
export interface ActivityRecord {
  id: string;
  organizationId: string;
  creatorId: string;
  departmentId: string | null;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A record table whose lists are windows of a time column, optionally of one organization. */
export abstract class ActivityRepository<E extends ActivityRecord> extends CrmRecordRepository<E> {
  /** The column (property) the list window and order use. */
  abstract readonly timeProperty: string;
  abstract readonly timeColumn: string;

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
 * Create, edit, soft delete and restore of a record filed under an organization; each change goes to
 * that organization's timeline.
 */
export abstract class ActivityService<E extends ActivityRecord, D> {
  protected abstract readonly entityType: CrmEntityType;
  protected abstract readonly entity: EntityTarget<E>;
  protected abstract readonly repository: ActivityRepository<E>;
  protected abstract snapshot(record: E): Record<string, unknown>;
  protected abstract toDtos(records: E[]): Promise<D[]>;

  constructor(
    protected readonly dataSource: DataSource,
    protected readonly changes: ChangeLogService,
    protected readonly staff: StaffDirectory,
  ) {}

  protected async pageOf(
    qb: SelectQueryBuilder<E>,
    query: { pageNum: number; pageSize: number },
  ): Promise<Page<D>> {
    const [rows, total] = await this.repository.page(qb, query, this.repository.timeProperty);
    return toPage(await this.toDtos(rows), total, query);
  }

  async get(actor: Actor, id: string): Promise<D> {
    const found = await this.repository.findVisible(actor, id);
    if (!found) throw AppException.notFound(this.entityType, id);
    return (await this.toDtos([found]))[0];
  }

  protected async insertRecord(actor: Actor, values: Partial<E>): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      const creatorId = (values.creatorId as string | undefined) ?? actor.id;
      const row = { ...values, creatorId, departmentId: await this.staff.departmentOf(creatorId) };
      const inserted = await manager.insert(this.entity, row as never);
      const id = String(inserted.identifiers[0].id);
      const created = await manager.findOneByOrFail(this.entity, { id } as never);
      await this.changes.record(manager, {
        entityType: this.entityType,
        entityId: id,
        organizationId: created.organizationId,
        action: 'created',
        actor,
        after: this.snapshot(created),
      });
      return id;
    });
  }

  protected async updateRecord(actor: Actor, id: string, values: Partial<E>): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.locked(manager, actor, id);
      if (before.deletedAt)
        throw CrmException.inConflict(CrmReason.Deleted, `restore the ${this.entityType} first`);
      if (Object.keys(values).length === 0) return;
      await manager.update(this.entity, { id } as never, values as never);
      const after = await manager.findOneByOrFail(this.entity, { id } as never);
      await this.afterUpdate(manager, before, after);
      await this.changes.record(manager, {
        entityType: this.entityType,
        entityId: id,
        organizationId: after.organizationId,
        action: 'updated',
        actor,
        before: this.snapshot(before),
        after: this.snapshot(after),
      });
    });
  }

  async setDeleted(actor: Actor, id: string, deleted: boolean): Promise<D> {
    await this.dataSource.transaction(async (manager) => {
      const before = await this.locked(manager, actor, id);
      if (!!before.deletedAt === deleted) return;
      const deletedAt = deleted ? new Date() : null;
      await manager.update(this.entity, { id } as never, { deletedAt } as never);
      await this.changes.record(manager, {
        entityType: this.entityType,
        entityId: id,
        organizationId: before.organizationId,
        action: deleted ? 'deleted' : 'restored',
        actor,
        before: { deletedAt: before.deletedAt?.toISOString() ?? null },
        after: { deletedAt: deletedAt?.toISOString() ?? null },
      });
    });
    return this.get(actor, id);
  }

  /** Keeps copies in step (a potential's follow-ups carry its organization). */
  protected async afterUpdate(_manager: EntityManager, _before: E, _after: E): Promise<void> {}

  /** The record for a change, or 404; with the row locked. */
  protected async locked(manager: EntityManager, actor: Actor, id: string): Promise<E> {
    const found = await this.repository.findVisible(actor, id, manager);
    if (!found) throw AppException.notFound(this.entityType, id);
    return found;
  }
}
