import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CompleteAndJumpCommand,
  GetTaskCommand,
  HandOverTaskCommand,
  InstanceRefCommand,
  JumpInstanceCommand,
  RelaunchInstanceCommand,
  ReturnTaskCommand,
  SignerCommand,
  TaskCommentCommand,
  WorkflowPattern,
} from '@app/contracts';
import { InstanceOperationsService } from './instance-operations.service';
import { TaskOperationsService } from './task-operations.service';

/** Approval operations (DESIGN §4 task operations table): message patterns → services. */
@Controller()
export class OperationsController {
  constructor(
    private readonly tasks: TaskOperationsService,
    private readonly instances: InstanceOperationsService,
  ) {}

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

  @MessagePattern(WorkflowPattern.TaskReturnTargets)
  returnTargets(@Payload('body') command: GetTaskCommand) {
    return this.tasks.returnTargets(command);
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

  @MessagePattern(WorkflowPattern.InstanceStop)
  stop(@Payload('body') command: InstanceRefCommand) {
    return this.instances.end(command, 'stopped');
  }

  @MessagePattern(WorkflowPattern.InstanceDiscard)
  discard(@Payload('body') command: InstanceRefCommand) {
    return this.instances.end(command, 'discarded');
  }

  @MessagePattern(WorkflowPattern.InstanceDelete)
  delete(@Payload('body') command: InstanceRefCommand) {
    return this.instances.delete(command);
  }

  @MessagePattern(WorkflowPattern.InstanceRelaunch)
  relaunch(@Payload('body') command: RelaunchInstanceCommand) {
    return this.instances.relaunch(command);
  }

  @MessagePattern(WorkflowPattern.InstanceRevoke)
  revoke(@Payload('body') command: InstanceRefCommand) {
    return this.instances.revoke(command);
  }

  @MessagePattern(WorkflowPattern.InstanceUrge)
  urge(@Payload('body') command: InstanceRefCommand) {
    return this.instances.urge(command);
  }

  @MessagePattern(WorkflowPattern.InstanceJump)
  jump(@Payload('body') command: JumpInstanceCommand) {
    return this.instances.jump(command);
  }

  @MessagePattern(WorkflowPattern.InstanceAddSigner)
  addSigner(@Payload('body') command: SignerCommand) {
    return this.instances.changeSigner(command, 'add');
  }

  @MessagePattern(WorkflowPattern.InstanceRemoveSigner)
  removeSigner(@Payload('body') command: SignerCommand) {
    return this.instances.changeSigner(command, 'remove');
  }
}
