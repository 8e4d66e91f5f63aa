import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmSatisfactionEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';
import type { CrmScopeColumns } from '../shared/crm-scope';

/** Satisfaction feedback within a data scope: mine when I recorded it or am one of the staff it names. */
@Injectable()
export class SatisfactionRepository extends ActivityRepository<CrmSatisfactionEntity> {
  protected readonly entity = CrmSatisfactionEntity;
  protected readonly alias = 's';
  readonly timeProperty = 'recordTime';
  readonly timeColumn = 'record_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }

  protected scopeColumns(a: string): CrmScopeColumns {
    return { owners: [`${a}.creator_id`], followers: `${a}.follower_ids`, department: `${a}.department_id` };
  }
}
