import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompleteAndJumpCommand,
  CompleteTaskCommand,
  HandOverTaskCommand,
  ReturnTaskCommand,
  TaskCommentCommand,
  TaskRefCommand,
  WorkflowPattern,
} from '@app/contracts';
import { TaskCommandsService } from './task-commands.service';

/** Task commands (DESIGN §4 task operations table): message patterns → `TaskCommandsService`. */
@Controller()
export class TaskCommandsController {
  constructor(private readonly tasks: TaskCommandsService) {}

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

  @MessagePattern(WorkflowPattern.TaskCompleteAndJump)
  completeAndJump(@Payload('body') command: CompleteAndJumpCommand) {
    return this.tasks.completeAndJump(command);
  }

  @MessagePattern(WorkflowPattern.TaskReject)
  reject(@Payload('body') command: TaskCommentCommand) {
    return this.tasks.reject(command);
  }

  @MessagePattern(WorkflowPattern.TaskReturn)
  returnTask(@Payload('body') command: ReturnTaskCommand) {
    return this.tasks.returnTask(command);
  }

  @MessagePattern(WorkflowPattern.TaskDelegate)
  delegate(@Payload('body') command: HandOverTaskCommand) {
    return this.tasks.delegate(command);
  }

  @MessagePattern(WorkflowPattern.TaskResolve)
  resolve(@Payload('body') command: TaskCommentCommand) {
    return this.tasks.resolve(command);
  }

  @MessagePattern(WorkflowPattern.TaskTransfer)
  transfer(@Payload('body') command: HandOverTaskCommand) {
    return this.tasks.transfer(command);
  }
}
