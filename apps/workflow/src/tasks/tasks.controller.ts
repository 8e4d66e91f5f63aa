import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompleteTaskCommand,
  GetTaskCommand,
  ListTasksCommand,
  TaskRefCommand,
  WorkflowPattern,
} from '@app/contracts';
import { TasksService } from './tasks.service';

@Controller()
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @MessagePattern(WorkflowPattern.TaskList)
  list(@Payload('body') command: ListTasksCommand) {
    return this.tasks.list(command);
  }

  @MessagePattern(WorkflowPattern.TaskGet)
  get(@Payload('body') command: GetTaskCommand) {
    return this.tasks.get(command);
  }

  @MessagePattern(WorkflowPattern.TaskClaim)
  claim(@Payload('body') command: TaskRefCommand) {
    return this.tasks.claim(command);
  }

  @MessagePattern(WorkflowPattern.TaskUnclaim)
  unclaim(@Payload('body') command: TaskRefCommand) {
    return this.tasks.unclaim(command);
  }

  @MessagePattern(WorkflowPattern.TaskComplete)
  complete(@Payload('body') command: CompleteTaskCommand) {
    return this.tasks.complete(command);
  }
}
