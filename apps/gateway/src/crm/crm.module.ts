import { Module } from '@nestjs/common';
import { CallsController } from './calls/calls.controller';
import { CallsService } from './calls/calls.service';
import { SmsController, SmsTemplatesController } from './sms/sms.controller';
import { SmsService } from './sms/sms.service';
import { IdentityModule } from '../identity/identity.module';
import { ExportsController } from './exports/exports.controller';
import { ExportsService } from './exports/exports.service';
import { ImportsController } from './imports/imports.controller';
import { ImportsService } from './imports/imports.service';
import { ContractsController } from './contracts/contracts.controller';
import { ContractsRepository } from './contracts/contracts.repository';
import { ContractsService } from './contracts/contracts.service';
import { CustomersController } from './customers/customers.controller';
import { CustomersRepository } from './customers/customers.repository';
import { CustomersService } from './customers/customers.service';
import { DemandsController } from './demands/demands.controller';
import { DemandsRepository } from './demands/demands.repository';
import { DemandsService } from './demands/demands.service';
import { FollowUpsController } from './follow-ups/follow-ups.controller';
import { FollowUpsRepository } from './follow-ups/follow-ups.repository';
import { FollowUpsService } from './follow-ups/follow-ups.service';
import { OrganizationsController } from './organizations/organizations.controller';
import { OrganizationsRepository } from './organizations/organizations.repository';
import { OrganizationsService } from './organizations/organizations.service';
import { PotentialsController } from './potentials/potentials.controller';
import { PotentialsRepository } from './potentials/potentials.repository';
import { PotentialsService } from './potentials/potentials.service';
import { SatisfactionController } from './satisfaction/satisfaction.controller';
import { SatisfactionRepository } from './satisfaction/satisfaction.repository';
import { SatisfactionService } from './satisfaction/satisfaction.service';
import { LinkChecker } from './shared/activity';
import { ChangeLogService } from './shared/change-log.service';
import { StaffDirectory } from './shared/staff-directory';

/** CRM of seeds 001 and 003 under `/api/v1/crm` (DESIGN §6). */
@Module({
  imports: [IdentityModule],
  controllers: [
    OrganizationsController,
    CustomersController,
    PotentialsController,
    FollowUpsController,
    DemandsController,
    SatisfactionController,
    ContractsController,
    SmsTemplatesController,
    SmsController,
    CallsController,
    ImportsController,
    ExportsController,
  ],
  providers: [
    StaffDirectory,
    ChangeLogService,
    LinkChecker,
    OrganizationsRepository,
    OrganizationsService,
    CustomersRepository,
    CustomersService,
    PotentialsRepository,
    PotentialsService,
    FollowUpsRepository,
    FollowUpsService,
    DemandsRepository,
    DemandsService,
    SatisfactionRepository,
    SatisfactionService,
    ContractsRepository,
    ContractsService,
    SmsService,
    CallsService,
    ImportsService,
    ExportsService,
  ],
  exports: [
    StaffDirectory,
    ChangeLogService,
    OrganizationsRepository,
    CustomersRepository,
    CustomersService,
    SmsService,
    CallsService,
    ContractsRepository,
    DemandsRepository,
    FollowUpsRepository,
    OrganizationsService,
    CustomersService,
    PotentialsService,
    FollowUpsService,
    DemandsService,
    SatisfactionService,
    ContractsService,
  ],
})
export class CrmModule {}
