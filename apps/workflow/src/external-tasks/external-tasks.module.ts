import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ExternalTasksController } from './external-tasks.controller';
import { ExternalTasksRepository } from './external-tasks.repository';
import { ExternalTasksService } from './external-tasks.service';

/** External service tasks done by REST workers (fetch-and-lock, complete, failure, BPMN error). */
@Module({
  imports: [ExecutionModule, IncidentsModule],
  controllers: [ExternalTasksController],
  providers: [ExternalTasksService, ExternalTasksRepository],
})
export class ExternalTasksModule {}
