import { Module } from '@nestjs/common';
import { ReportAggregatesService } from './report-aggregates.service';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

/** Process reports over the workflow schema; `WorkflowEnv` and the data source come from the root module. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsRepository, ReportsService, ReportAggregatesService],
})
export class ReportsModule {}
