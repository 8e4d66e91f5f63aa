import { forwardRef, Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ExternalTaskSyncService } from './external-task-sync.service';
import { ExternalTasksController } from './external-tasks.controller';
import { ExternalTasksRepository } from './external-tasks.repository';
import { ExternalTasksService } from './external-tasks.service';

/**
 * External service tasks done by REST workers (fetch-and-lock, complete, failure, BPMN error), and the
 * sync of their rows that every execution step runs: the worker commands run steps and the step
 * syncs the rows, hence the forward reference both ways.
 */
@Module({
  imports: [forwardRef(() => ExecutionModule), IncidentsModule],
  controllers: [ExternalTasksController],
  providers: [ExternalTasksService, ExternalTasksRepository, ExternalTaskSyncService],
  exports: [ExternalTaskSyncService],
})
export class ExternalTasksModule {}
