import { Injectable } from '@nestjs/common';
import { DataSource, type SelectQueryBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { CrmCustomerEntity } from '@app/database';
import { containsPattern } from '@app/common';
import type { CrmScopeColumns } from '../shared/crm-scope';
import { DirectoryRepository } from '../shared/record-repository';

export interface CustomerFilters {
  organizationName?: string;
  organizationId?: string;
  name?: string;
  phone?: string;
  keyword?: string;
  status: 'all' | '-1' | '1';
  creatorId?: string;
  ownerId?: string;
  stage?: string[];
}

/** Seed 003: stage 5 (已成交) means both kinds of closed deal, 5 外包 and 6 会员; −1 means every stage. */
export function expandStages(stages: readonly string[] | undefined): number[] | undefined {
  if (!stages || stages.length === 0 || stages.includes('-1')) return undefined;
  const wanted = new Set(stages.map(Number));
  if (wanted.has(5)) wanted.add(6);
  return [...wanted].sort();
}

/** Customers within a data scope: mine when I created it or am its salesperson. */
@Injectable()
export class CustomersRepository extends DirectoryRepository<CrmCustomerEntity, CustomerFilters> {
  protected readonly entity = CrmCustomerEntity;
  protected readonly alias = 'c';
  protected readonly table = 'core.crm_customer';
  protected readonly nameColumn = 'real_name';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`, `${a}.owner_id`], department: `${a}.department_id` };
  }

  filtered(actor: Actor, f: CustomerFilters): SelectQueryBuilder<CrmCustomerEntity> {
    const qb = this.withStatus(actor, f.status);
    if (f.name) qb.andWhere('c.real_name ILIKE :name', { name: containsPattern(f.name) });
    if (f.phone) qb.andWhere('c.phone ILIKE :phone', { phone: containsPattern(f.phone) });
    if (f.keyword)
      qb.andWhere('(c.real_name ILIKE :keyword OR c.phone ILIKE :keyword)', {
        keyword: containsPattern(f.keyword),
      });
    if (f.organizationId)
      qb.andWhere('c.organization_ids @> ARRAY[:organizationId]::bigint[]', {
        organizationId: f.organizationId,
      });
    if (f.organizationName)
      qb.andWhere(
        `c.organization_ids && ARRAY(SELECT so.id FROM core.crm_organization so
           WHERE so.name ILIKE :organizationName AND so.deleted_at IS NULL)`,
        { organizationName: containsPattern(f.organizationName) },
      );
    if (f.creatorId) qb.andWhere('c.creator_id = :creatorId', { creatorId: f.creatorId });
    if (f.ownerId) qb.andWhere('c.owner_id = :ownerId', { ownerId: f.ownerId });
    const stages = expandStages(f.stage);
    if (stages) qb.andWhere('c.stage IN (:...stages)', { stages });
    return qb;
  }
}
