import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CrmContractEntity } from '@app/database';
import { ActivityRepository } from '../shared/activity';

/** Contracts within a data scope: mine when I created it or follow it. */
@Injectable()
export class ContractsRepository extends ActivityRepository<CrmContractEntity> {
  protected readonly entity = CrmContractEntity;
  protected readonly alias = 'k';
  override readonly timeProperty = 'signTime';
  override readonly timeColumn = 'sign_time';

  constructor(dataSource: DataSource) {
    super(dataSource);
  }
}
