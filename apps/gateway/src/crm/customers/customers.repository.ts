import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmCustomerEntity } from '@app/database';
import { containsPattern } from '@app/common';
import type { CrmScopeColumns } from '../shared/crm-scope';
import { DirectoryRepository } from '../shared/record-repository';
import type { SqlWhere } from '../shared/sql-where';

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

  protected filterWhere(f: CustomerFilters, where: SqlWhere): void {
    const bind = where.bind;
    if (f.name) where.and(`c.real_name ILIKE ${bind(containsPattern(f.name))}`);
    if (f.phone) where.and(`c.phone ILIKE ${bind(containsPattern(f.phone))}`);
    if (f.keyword) {
      const keyword = bind(containsPattern(f.keyword));
      where.and(`c.real_name ILIKE ${keyword} OR c.phone ILIKE ${keyword}`);
    }
    if (f.organizationId) where.and(`c.organization_ids @> ARRAY[${bind(f.organizationId)}]::bigint[]`);
    if (f.organizationName)
      where.and(
        `c.organization_ids && ARRAY(SELECT so.id FROM core.crm_organization so
           WHERE so.name ILIKE ${bind(containsPattern(f.organizationName))} AND so.deleted_at IS NULL)`,
      );
    if (f.creatorId) where.and(`c.creator_id = ${bind(f.creatorId)}`);
    if (f.ownerId) where.and(`c.owner_id = ${bind(f.ownerId)}`);
    const stages = expandStages(f.stage);
    if (stages) where.and(`c.stage IN (${stages.map(bind).join(', ')})`);
  }
}
