import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { IdentityModule } from '../identity/identity.module';
import { DepartmentManagers } from './department-managers';
import {
  WorkOrderCategoriesController,
  WorkOrdersController,
  WorkOrderTemplatesController,
  WorkOrderTypesController,
} from './work-orders.controller';

/** Gateway routes of the work-order centre: thin controllers over the typed workflow client. */
@Module({
  imports: [IdentityModule, AttachmentsModule],
  controllers: [
    WorkOrdersController,
    WorkOrderTypesController,
    WorkOrderCategoriesController,
    WorkOrderTemplatesController,
  ],
  providers: [DepartmentManagers],
  exports: [DepartmentManagers],
})
export class WorkOrdersModule {}
