import { Module } from '@nestjs/common';
import { CrmModule } from '../crm/crm.module';
import { StatsController } from './stats.controller';
import { StatsRollupService } from './stats-rollup.service';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

/** `/api/v1/stats`: CRM statistics within the caller's data scope. */
@Module({
  imports: [CrmModule],
  controllers: [StatsController],
  providers: [StatsRepository, StatsRollupService, StatsService],
  exports: [StatsService],
})
export class StatsModule {}
