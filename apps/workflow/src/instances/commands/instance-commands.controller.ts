import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CorrelateMessageCommand,
  InstanceRefCommand,
  JumpInstanceCommand,
  RelaunchInstanceCommand,
  SignerCommand,
  StartInstanceCommand,
  WorkflowPattern,
} from '@app/contracts';
import { InstanceCommandsService } from './instance-commands.service';

/** Instance commands (DESIGN §4): message patterns → `InstanceCommandsService`. */
@Controller()
export class InstanceCommandsController {
  constructor(private readonly instances: InstanceCommandsService) {}

  @MessagePattern(WorkflowPattern.InstanceStart)
  start(@Payload('body') command: StartInstanceCommand) {
    return this.instances.start(command);
  }

  @MessagePattern(WorkflowPattern.InstanceCorrelate)
  correlate(@Payload('body') command: CorrelateMessageCommand) {
    return this.instances.correlate(command);
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
