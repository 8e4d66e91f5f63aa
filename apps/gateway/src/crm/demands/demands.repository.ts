import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmDemandEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';

/** Demand changes within a data scope: mine when I created it or follow it. */
@Injectable()
export class DemandsRepository extends ActivityRepository<CrmDemandEntity> {
  protected readonly entity = CrmDemandEntity;
  protected readonly alias = 'd';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }
}
