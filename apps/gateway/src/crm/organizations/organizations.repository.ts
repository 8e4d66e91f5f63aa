import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmOrganizationEntity } from '@app/database';
import { type CrmScopeColumns } from '../shared/crm-scope';
import { containsPattern } from '@app/common';
import { DirectoryRepository } from '../shared/record-repository';
import type { SqlWhere } from '../shared/sql-where';

export interface OrganizationFilters {
  name?: string;
  status: 'all' | '-1' | '0' | '1' | '2' | '3';
  creatorId?: string;
}

/**
 * Organizations within a data scope: mine when I created it or direct one of its (live) potential
 * records; in my department when its creator's department was.
 */
@Injectable()
export class OrganizationsRepository extends DirectoryRepository<CrmOrganizationEntity, OrganizationFilters> {
  protected readonly entity = CrmOrganizationEntity;
  protected readonly alias = 'o';
  protected readonly table = 'core.crm_organization';
  protected readonly nameColumn = 'name';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return {
      owners: [`${a}.creator_id`],
      ownedWhen: `EXISTS (SELECT 1 FROM core.crm_potential sp WHERE sp.organization_id = ${a}.id
                   AND sp.director_id = :actorId AND sp.deleted_at IS NULL)`,
      department: `${a}.department_id`,
    };
  }

  protected filterWhere(filters: OrganizationFilters, where: SqlWhere): void {
    if (filters.name) where.and(`o.name ILIKE ${where.bind(containsPattern(filters.name))}`);
    if (filters.creatorId) where.and(`o.creator_id = ${where.bind(filters.creatorId)}`);
    if (['0', '2', '3'].includes(filters.status))
      where.and(
        `(SELECT lp.status FROM core.crm_potential lp WHERE lp.organization_id = o.id AND lp.deleted_at IS NULL
           ORDER BY lp.record_time DESC, lp.id DESC LIMIT 1) = ${where.bind(Number(filters.status))}`,
      );
  }
}
