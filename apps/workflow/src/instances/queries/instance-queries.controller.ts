import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { GetInstanceCommand, ListInstancesCommand, WorkflowPattern } from '@app/contracts';
import { InstanceQueriesService } from './instance-queries.service';

@Controller()
export class InstanceQueriesController {
  constructor(private readonly instances: InstanceQueriesService) {}

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
}
