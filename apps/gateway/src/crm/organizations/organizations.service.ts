import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '@app/contracts';
import { AppException, type Page, type PageQueryDto, toPage } from '@app/common';
import { CrmOrganizationEntity } from '@app/database';
import { ChangeLogService } from '../shared/change-log.service';
import type { ChangeDto } from '../shared/crm-dto';
import { CrmException, CrmReason } from '../shared/crm.exception';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateOrganizationDto,
  mapOrganization,
  type OrganizationDto,
  type OrganizationListQueryDto,
  organizationSnapshot,
  type UpdateOrganizationDto,
} from './organization.dto';
import { OrganizationsRepository } from './organizations.repository';

const FIELDS = [
  'name',
  'detail',
  'type',
  'province',
  'city',
  'county',
  'address',
  'legalPerson',
  'registeredCapital',
  'registrationDate',
  'website',
  'note',
] as const;

/** 客户单位: create, edit, soft delete and restore within the caller's data scope, with a timeline. */
@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly organizations: OrganizationsRepository,
    private readonly staff: StaffDirectory,
    private readonly changes: ChangeLogService,
  ) {}

  async list(actor: Actor, query: OrganizationListQueryDto): Promise<Page<OrganizationDto>> {
    const [rows, total] = await this.organizations.list(actor, query, query);
    return toPage(await this.map(rows), total, query);
  }

  async get(actor: Actor, id: string): Promise<OrganizationDto> {
    const found = await this.organizations.findVisible(actor, id);
    if (!found) throw AppException.notFound('organization', id);
    return (await this.map([found]))[0];
  }

  /** The entity values a body sets (only the fields it carries); a named creator must be in scope. */
  async values(actor: Actor, dto: UpdateOrganizationDto): Promise<Partial<CrmOrganizationEntity>> {
    const values: Partial<CrmOrganizationEntity> = {};
    for (const field of FIELDS) if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    if (dto.creatorId) {
      await this.staff.assertInScope(actor, [dto.creatorId], 'creatorId');
      values.creatorId = dto.creatorId;
    }
    return values;
  }

  async create(actor: Actor, dto: CreateOrganizationDto): Promise<OrganizationDto> {
    const values = await this.values(actor, dto);
    const id = await this.dataSource.transaction((manager) => this.insert(manager, actor, values, 'created'));
    return this.get(actor, id);
  }

  /** Inserts an organization (values already validated) and files the change. */
  async insert(
    manager: EntityManager,
    actor: Actor,
    values: Partial<CrmOrganizationEntity>,
    action: 'created' | 'imported',
  ): Promise<string> {
    const creatorId = values.creatorId ?? actor.id;
    const inserted = await manager.insert(CrmOrganizationEntity, {
      ...values,
      creatorId,
      departmentId: await this.staff.departmentOf(creatorId),
    });
    const id = String(inserted.identifiers[0].id);
    const created = await manager.findOneByOrFail(CrmOrganizationEntity, { id });
    await this.changes.record(manager, {
      entityType: 'organization',
      entityId: id,
      organizationId: id,
      action,
      actor,
      after: organizationSnapshot(created),
    });
    return id;
  }

  async update(actor: Actor, id: string, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    const values = await this.values(actor, dto);
    await this.dataSource.transaction((manager) => this.change(manager, actor, id, values, 'updated'));
    return this.get(actor, id);
  }

  /** Applies values to a live organization within the scope; returns the values before (for undo). */
  async change(
    manager: EntityManager,
    actor: Actor,
    id: string,
    values: Partial<CrmOrganizationEntity>,
    action: 'updated' | 'imported' | 'import_undone',
  ): Promise<Record<string, unknown>> {
    const before = await this.organizations.findVisible(actor, id, manager);
    if (!before) throw AppException.notFound('organization', id);
    if (before.deletedAt) throw CrmException.inConflict(CrmReason.Deleted, 'restore the organization first');
    if (Object.keys(values).length > 0) await manager.update(CrmOrganizationEntity, { id }, values);
    const after = await manager.findOneByOrFail(CrmOrganizationEntity, { id });
    await this.changes.record(manager, {
      entityType: 'organization',
      entityId: id,
      organizationId: id,
      action,
      actor,
      before: organizationSnapshot(before),
      after: organizationSnapshot(after),
    });
    return Object.fromEntries(
      Object.keys(values).map((key) => [key, before[key as keyof CrmOrganizationEntity]]),
    );
  }

  /** Soft delete (`deleted = true`) or restore; a no-op when already in that state. */
  async setDeleted(
    actor: Actor,
    id: string,
    deleted: boolean,
    within?: EntityManager,
  ): Promise<OrganizationDto> {
    const work = async (manager: EntityManager) => {
      const before = await this.organizations.findVisible(actor, id, manager);
      if (!before) throw AppException.notFound('organization', id);
      if (!!before.deletedAt === deleted) return;
      await manager.update(CrmOrganizationEntity, { id }, { deletedAt: deleted ? new Date() : null });
      await this.changes.record(manager, {
        entityType: 'organization',
        entityId: id,
        organizationId: id,
        action: deleted ? 'deleted' : 'restored',
        actor,
        before: { deletedAt: before.deletedAt?.toISOString() ?? null },
        after: { deletedAt: deleted ? new Date().toISOString() : null },
      });
    };
    if (within) await work(within);
    else await this.dataSource.transaction(work);
    return this.get(actor, id);
  }

  /** Everything that happened to the organization and the records filed under it, newest first. */
  async timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> {
    await this.get(actor, id);
    return this.changes.timeline({ organizationId: id }, page);
  }

  private async map(rows: CrmOrganizationEntity[]): Promise<OrganizationDto[]> {
    const names = await this.staff.names(rows.map((r) => r.creatorId));
    return rows.map((r) => mapOrganization(r, names));
  }
}
