import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmContractEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';
import type { CrmScopeColumns } from '../shared/crm-scope';

/** Contracts within a data scope: mine when I created it or follow it. */
@Injectable()
export class ContractsRepository extends ActivityRepository<CrmContractEntity> {
  protected readonly entity = CrmContractEntity;
  protected readonly alias = 'k';
  readonly timeProperty = 'signTime';
  readonly timeColumn = 'sign_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`], followers: `${a}.follower_ids`, department: `${a}.department_id` };
  }
}
