import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmFollowUpEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';
import type { CrmScopeColumns } from '../shared/crm-scope';

/** Follow-ups within a data scope: mine when I created it or am one of its followers. */
@Injectable()
export class FollowUpsRepository extends ActivityRepository<CrmFollowUpEntity> {
  protected readonly entity = CrmFollowUpEntity;
  protected readonly alias = 'f';
  readonly timeProperty = 'recordTime';
  readonly timeColumn = 'record_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`], followers: `${a}.follower_ids`, department: `${a}.department_id` };
  }
}
