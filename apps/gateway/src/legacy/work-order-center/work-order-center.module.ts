import { Module } from '@nestjs/common';
import { LegacyDirectoryRepository } from '../legacy-directory.repository';
import { LegacyProcessController, LegacyTaskController } from './work-order-center.controller';
import { WorkOrderCenterLegacyService } from './work-order-center.service';

/** Seed 004 (统一工单中心) served at its original paths over the platform's workflow commands. */
@Module({
  controllers: [LegacyProcessController, LegacyTaskController],
  providers: [WorkOrderCenterLegacyService, LegacyDirectoryRepository],
})
export class WorkOrderCenterLegacyModule {}
