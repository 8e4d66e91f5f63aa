import { Module } from '@nestjs/common';
import { DefinitionsModule } from '../definitions/definitions.module';
import { ExecutionModule } from '../execution/execution.module';
import { FormsModule } from '../forms/forms.module';
import { InstancesModule } from '../instances/instances.module';
import { TasksModule } from '../tasks/tasks.module';
import { ClassificationRepository } from './classification.repository';
import { ClassificationService } from './classification.service';
import { WorkOrderClassificationController, WorkOrdersController } from './work-orders.controller';
import { WorkOrdersRepository } from './work-orders.repository';
import { WorkOrdersService } from './work-orders.service';

/** The work-order centre (seed 004): work orders bound to a run, their types, categories and templates. */
@Module({
  imports: [DefinitionsModule, ExecutionModule, FormsModule, InstancesModule, TasksModule],
  controllers: [WorkOrdersController, WorkOrderClassificationController],
  providers: [WorkOrdersRepository, ClassificationRepository, WorkOrdersService, ClassificationService],
})
export class WorkOrdersModule {}
