import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '@app/contracts';
import { CrmOrganizationEntity } from '@app/database';
import { DirectoryService } from '../shared/activity';
import { ChangeLogService } from '../shared/change-log.service';
import { StaffDirectory } from '../shared/staff-directory';
import {
  mapOrganization,
  ORGANIZATION_FIELDS,
  type OrganizationDto,
  organizationSnapshot,
  type UpdateOrganizationDto,
} from './organization.dto';
import { type OrganizationFilters, OrganizationsRepository } from './organizations.repository';

/** 客户单位: create, edit, soft delete and restore within the caller's data scope, with a timeline. */
@Injectable()
export class OrganizationsService extends DirectoryService<
  CrmOrganizationEntity,
  OrganizationDto,
  OrganizationFilters,
  UpdateOrganizationDto
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

  /** A named creator must be in scope. */
  async values(actor: Actor, dto: UpdateOrganizationDto): Promise<Partial<CrmOrganizationEntity>> {
    const values: Partial<CrmOrganizationEntity> = {};
    for (const field of ORGANIZATION_FIELDS)
      if (dto[field] !== undefined) Object.assign(values, { [field]: dto[field] });
    if (dto.creatorId) {
      await this.staff.assertInScope(actor, [dto.creatorId], 'creatorId');
      values.creatorId = dto.creatorId;
    }
    return values;
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
