import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type Page, type PageQueryDto, toPage } from '@app/common';
import { CrmOrganizationEntity } from '@app/database';
import { CrmRecordService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { type ChangeDto, CRM_LIST_TOTAL_CAP } from '../shared/crm-dto';
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
export class OrganizationsService extends CrmRecordService<CrmOrganizationEntity, OrganizationDto> {
  protected readonly entityType = 'organization' as const;
  protected readonly entity = CrmOrganizationEntity;

  constructor(
    dataSource: DataSource,
    protected readonly repository: OrganizationsRepository,
    staff: StaffDirectory,
    changes: ChangeLogService,
  ) {
    super(dataSource, changes, staff);
  }

  async list(actor: Actor, query: OrganizationListQueryDto): Promise<Page<OrganizationDto>> {
    const [rows, total] = await this.repository.list(actor, query, query);
    return toPage(await this.toDtos(rows), total, query);
  }

  /** The /api/v1 list: total exact up to CRM_LIST_TOTAL_CAP, `more` beyond (legacy surfaces keep `list`'s exact total). */
  async cappedList(actor: Actor, query: OrganizationListQueryDto): Promise<Page<OrganizationDto>> {
    const [rows, total, more] = await this.repository.cappedList(actor, query, query, CRM_LIST_TOTAL_CAP);
    return toPage(await this.toDtos(rows), total, query, more);
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

  async update(actor: Actor, id: string, dto: UpdateOrganizationDto): Promise<OrganizationDto> {
    const values = await this.values(actor, dto);
    await this.dataSource.transaction((manager) => this.change(manager, actor, id, values, 'updated'));
    return this.get(actor, id);
  }

  /** Everything that happened to the organization and the records filed under it, newest first. */
  async timeline(actor: Actor, id: string, page: PageQueryDto): Promise<Page<ChangeDto>> {
    await this.get(actor, id);
    return this.changes.timeline({ organizationId: id }, page);
  }

  protected timelineOf(record: CrmOrganizationEntity) {
    return { organizationId: record.id };
  }

  protected snapshot(record: CrmOrganizationEntity) {
    return organizationSnapshot(record);
  }

  protected async toDtos(rows: CrmOrganizationEntity[]): Promise<OrganizationDto[]> {
    const names = await this.staff.names(rows.map((r) => r.creatorId));
    return rows.map((r) => mapOrganization(r, names));
  }
}
