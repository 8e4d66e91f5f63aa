import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetTaskCommand, ListTasksCommand, WorkflowPattern } from '@app/contracts';
import { TaskQueriesService } from './task-queries.service';

@Controller()
export class TaskQueriesController {
  constructor(private readonly tasks: TaskQueriesService) {}

  @MessagePattern(WorkflowPattern.TaskList)
  list(@Payload('body') command: ListTasksCommand) {
    return this.tasks.list(command);
  }

  @MessagePattern(WorkflowPattern.TaskGet)
  get(@Payload('body') command: GetTaskCommand) {
    return this.tasks.get(command);
  }

  @MessagePattern(WorkflowPattern.TaskReturnTargets)
  returnTargets(@Payload('body') command: GetTaskCommand) {
    return this.tasks.returnTargets(command);
  }
}
