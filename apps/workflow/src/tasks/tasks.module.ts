import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module';
import { FormsModule } from '../forms/forms.module';
import { TaskCommandsController } from './commands/task-commands.controller';
import { TaskCommandsService } from './commands/task-commands.service';
import { TaskSteps } from './commands/task-steps.service';
import { TaskQueriesController } from './queries/task-queries.controller';
import { TaskQueriesService } from './queries/task-queries.service';
import { TasksRepository } from './tasks.repository';
import { InstancesModule } from '../instances/instances.module';

/** Tasks: commands on an open task and the task queries; `TaskSteps` is shared with the work-order centre. */
@Module({
  imports: [ExecutionModule, FormsModule, InstancesModule],
  controllers: [TaskCommandsController, TaskQueriesController],
  providers: [TasksRepository, TaskSteps, TaskCommandsService, TaskQueriesService],
  exports: [TasksRepository, TaskSteps, TaskCommandsService],
})
export class TasksModule {}
