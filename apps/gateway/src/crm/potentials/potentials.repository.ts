import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmPotentialEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';
import type { CrmScopeColumns } from '../shared/crm-scope';

/** Potential records within a data scope: mine when I created or direct it. */
@Injectable()
export class PotentialsRepository extends ActivityRepository<CrmPotentialEntity> {
  protected readonly entity = CrmPotentialEntity;
  protected readonly alias = 'p';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected override scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`, `${a}.director_id`], department: `${a}.department_id` };
  }
}
