import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  CorrelateMessageCommand,
  GetInstanceCommand,
  ListInstancesCommand,
  StartInstanceCommand,
  WorkflowPattern,
} from '@app/contracts';
import { InstancesService } from './instances.service';

@Controller()
export class InstancesController {
  constructor(private readonly instances: InstancesService) {}

  @MessagePattern(WorkflowPattern.InstanceStart)
  start(@Payload('body') command: StartInstanceCommand) {
    return this.instances.start(command);
  }

  @MessagePattern(WorkflowPattern.InstanceList)
  list(@Payload('body') command: ListInstancesCommand) {
    return this.instances.list(command);
  }

  @MessagePattern(WorkflowPattern.InstanceGet)
  get(@Payload('body') command: GetInstanceCommand) {
    return this.instances.get(command);
  }

  @MessagePattern(WorkflowPattern.InstanceDiagram)
  diagram(@Payload('body') command: GetInstanceCommand) {
    return this.instances.diagram(command);
  }

  @MessagePattern(WorkflowPattern.InstanceCorrelate)
  correlate(@Payload('body') command: CorrelateMessageCommand) {
    return this.instances.correlate(command);
  }
}
