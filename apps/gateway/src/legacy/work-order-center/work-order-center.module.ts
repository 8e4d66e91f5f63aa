import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../../attachments/attachments.module';
import { IdentityModule } from '../../identity/identity.module';
import { LegacyProcessController, LegacyTaskController } from './work-order-center.controller';
import { LegacyWorkOrderController } from './work-order-center-orders.controller';
import { WorkOrderCenterOrdersService } from './work-order-center-orders.service';
import { WorkOrderCenterLegacyService } from './work-order-center.service';

/** Seed 004 (统一工单中心) served at its original paths over the platform's workflow commands. */
@Module({
  imports: [IdentityModule, AttachmentsModule],
  controllers: [LegacyProcessController, LegacyTaskController, LegacyWorkOrderController],
  providers: [WorkOrderCenterLegacyService, WorkOrderCenterOrdersService],
})
export class WorkOrderCenterLegacyModule {}
