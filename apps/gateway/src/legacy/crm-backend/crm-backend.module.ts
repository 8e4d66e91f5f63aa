import { Module } from '@nestjs/common';
import { CrmModule } from '../../crm/crm.module';
import { IdentityModule } from '../../identity/identity.module';
import { StatsModule } from '../../stats/stats.module';
import { CrmBackendCustomersController } from './crm-backend-customers.controller';
import { CrmBackendCustomersService } from './crm-backend-customers.service';
import {
  CrmBackendContractController,
  CrmBackendFeedbackController,
  CrmBackendRecordsController,
} from './crm-backend-records.controller';
import { CrmBackendRecordsService } from './crm-backend-records.service';
import { CrmBackendStatsController } from './crm-backend-stats.controller';
import { CrmBackendUserController } from './crm-backend-user.controller';
import { CrmBackendUserService } from './crm-backend-user.service';
import { CrmBackendRepository } from './crm-backend.repository';

/** Seed 001 (CRM 后台) at its original paths: thin adapters over identity, CRM and stats. */
@Module({
  imports: [IdentityModule, CrmModule, StatsModule],
  controllers: [
    CrmBackendUserController,
    CrmBackendCustomersController,
    CrmBackendRecordsController,
    CrmBackendFeedbackController,
    CrmBackendContractController,
    CrmBackendStatsController,
  ],
  providers: [
    CrmBackendRepository,
    CrmBackendUserService,
    CrmBackendCustomersService,
    CrmBackendRecordsService,
  ],
})
export class CrmBackendModule {}
