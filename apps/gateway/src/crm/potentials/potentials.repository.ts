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
  readonly timeProperty = 'recordTime';
  readonly timeColumn = 'record_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`, `${a}.director_id`], department: `${a}.department_id` };
  }
}
