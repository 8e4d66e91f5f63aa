import { Module } from '@nestjs/common';
import { CrmModule } from '../crm/crm.module';
import { StatsController } from './stats.controller';
import { StatsRepository } from './stats.repository';
import { StatsService } from './stats.service';

/** `/api/v1/stats`: CRM statistics within the caller's data scope. */
@Module({
  imports: [CrmModule],
  controllers: [StatsController],
  providers: [StatsRepository, StatsService],
  exports: [StatsService],
})
export class StatsModule {}
