import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmDemandEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';
import type { CrmScopeColumns } from '../shared/crm-scope';

/** Demand changes within a data scope: mine when I created it or follow it. */
@Injectable()
export class DemandsRepository extends ActivityRepository<CrmDemandEntity> {
  protected readonly entity = CrmDemandEntity;
  protected readonly alias = 'd';
  readonly timeProperty = 'recordTime';
  readonly timeColumn = 'record_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`], followers: `${a}.follower_ids`, department: `${a}.department_id` };
  }
}
