import { Module } from '@nestjs/common';
import { DataModelsModule } from '../../data-models/data-models.module';
import { IdentityModule } from '../../identity/identity.module';
import { DingTalkModule } from '../../integrations/dingtalk/dingtalk.module';
import { ErpModule } from '../../integrations/erp/erp.module';
import { WorkOrdersModule } from '../../work-orders/work-orders.module';
import { DataSyncController } from './data-sync.controller';
import { FlowServiceController } from './flow-service.controller';
import { FlowServiceService } from './flow-service.service';

/** Seed 002 (流程服务: flows, task notification, ERP sync, DingTalk look-ups) at its original paths over the platform. */
@Module({
  imports: [WorkOrdersModule, IdentityModule, ErpModule, DingTalkModule, DataModelsModule],
  controllers: [FlowServiceController, DataSyncController],
  providers: [FlowServiceService],
})
export class FlowServiceLegacyModule {}
