import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import { CrmOrganizationEntity } from '@app/database';
import { DirectoryService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { StaffDirectory } from '../shared/staff-directory';
import {
  type CreateOrganizationDto,
  mapOrganization,
  type OrganizationDto,
  organizationSnapshot,
  type UpdateOrganizationDto,
} from './organization.dto';
import { type OrganizationFilters, OrganizationsRepository } from './organizations.repository';

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
export class OrganizationsService extends DirectoryService<
  CrmOrganizationEntity,
  OrganizationDto,
  OrganizationFilters
> {
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
