import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmFollowUpEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';

/** Follow-ups within a data scope: mine when I created it or am one of its followers. */
@Injectable()
export class FollowUpsRepository extends ActivityRepository<CrmFollowUpEntity> {
  protected readonly entity = CrmFollowUpEntity;
  protected readonly alias = 'f';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }
}
