import { Module } from '@nestjs/common';
import { ExecutionModule } from '../execution/execution.module';
import { FormsModule } from '../forms/forms.module';
import { TaskCommandsController } from './commands/task-commands.controller';
import { TaskCommandsService } from './commands/task-commands.service';
import { TaskSteps } from './commands/task-steps.service';
import { TaskQueriesController } from './queries/task-queries.controller';
import { TaskQueriesService } from './queries/task-queries.service';

/** Tasks: commands on an open task and the task queries; `TaskSteps` is shared with the work-order centre. */
@Module({
  imports: [ExecutionModule, FormsModule],
  controllers: [TaskCommandsController, TaskQueriesController],
  providers: [TaskSteps, TaskCommandsService, TaskQueriesService],
  exports: [TaskSteps, TaskCommandsService],
})
export class TasksModule {}
