import { Module } from '@nestjs/common';
import { WorkOrdersModule } from '../../work-orders/work-orders.module';
import { FlowServiceController } from './flow-service.controller';
import { FlowServiceService } from './flow-service.service';

/** Seed 002 (流程服务: flows and task notification) at its original paths over the work-order and workflow commands. */
@Module({
  imports: [WorkOrdersModule],
  controllers: [FlowServiceController],
  providers: [FlowServiceService],
})
export class FlowServiceLegacyModule {}
