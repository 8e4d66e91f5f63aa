import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { MonitoringListCommand, WorkflowPattern } from '@app/contracts';
import { MonitoringService } from './monitoring.service';

@Controller()
export class MonitoringController {
  constructor(private readonly monitoring: MonitoringService) {}

  @MessagePattern(WorkflowPattern.MonitoringInstances)
  instances(@Payload('body') command: MonitoringListCommand) {
    return this.monitoring.list(command);
  }
}
