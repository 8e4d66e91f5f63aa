import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompleteExternalTaskCommand,
  ExtendExternalTaskLockCommand,
  ExternalTaskBpmnErrorCommand,
  FailExternalTaskCommand,
  FetchExternalTasksCommand,
  ListExternalTasksCommand,
  SetExternalTaskRetriesCommand,
  WorkflowPattern,
} from '@app/contracts';
import { ExternalTasksService } from './external-tasks.service';

@Controller()
export class ExternalTasksController {
  constructor(private readonly tasks: ExternalTasksService) {}

  @MessagePattern(WorkflowPattern.ExternalTaskFetchAndLock)
  fetchAndLock(@Payload('body') command: FetchExternalTasksCommand) {
    return this.tasks.fetchAndLock(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskComplete)
  complete(@Payload('body') command: CompleteExternalTaskCommand) {
    return this.tasks.complete(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskFailure)
  failure(@Payload('body') command: FailExternalTaskCommand) {
    return this.tasks.failure(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskExtendLock)
  extendLock(@Payload('body') command: ExtendExternalTaskLockCommand) {
    return this.tasks.extendLock(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskBpmnError)
  bpmnError(@Payload('body') command: ExternalTaskBpmnErrorCommand) {
    return this.tasks.bpmnError(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskSetRetries)
  setRetries(@Payload('body') command: SetExternalTaskRetriesCommand) {
    return this.tasks.setRetries(command);
  }

  @MessagePattern(WorkflowPattern.ExternalTaskList)
  list(@Payload('body') command: ListExternalTasksCommand) {
    return this.tasks.list(command);
  }
}
