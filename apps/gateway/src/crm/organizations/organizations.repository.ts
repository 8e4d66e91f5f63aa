import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { CrmOrganizationEntity } from '@app/database';
import { type CrmScopeColumns } from '../shared/crm-scope';
import { containsPattern } from '@app/common';
import { DirectoryRepository } from '../shared/record-repository';

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

  filtered(actor: Actor, filters: OrganizationFilters): SelectQueryBuilder<CrmOrganizationEntity> {
    const qb = this.withStatus(actor, filters.status);
    if (filters.name) qb.andWhere('o.name ILIKE :name', { name: containsPattern(filters.name) });
    if (filters.creatorId) qb.andWhere('o.creator_id = :creatorId', { creatorId: filters.creatorId });
    if (['0', '2', '3'].includes(filters.status))
      qb.andWhere(
        `(SELECT lp.status FROM core.crm_potential lp WHERE lp.organization_id = o.id AND lp.deleted_at IS NULL
           ORDER BY lp.record_time DESC, lp.id DESC LIMIT 1) = :potentialStatus`,
        { potentialStatus: Number(filters.status) },
      );
    return qb;
  }
}
