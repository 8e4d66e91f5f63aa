import { Module } from '@nestjs/common';
import { IdentityModule } from '../../identity/identity.module';
import { OpportunityLegacyController } from './opportunity.controller';
import { OpportunityLegacyService } from './opportunity.service';

/** Seed 000 (云改商机上报支撑系统) at its original paths. */
@Module({
  imports: [IdentityModule],
  controllers: [OpportunityLegacyController],
  providers: [OpportunityLegacyService],
})
export class OpportunityLegacyModule {}
