import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmSatisfactionEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';

/** Satisfaction feedback within a data scope: mine when I recorded it or am one of the staff it names. */
@Injectable()
export class SatisfactionRepository extends ActivityRepository<CrmSatisfactionEntity> {
  protected readonly entity = CrmSatisfactionEntity;
  protected readonly alias = 's';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }
}
