import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  BroadcastSignalCommand,
  CorrelateMessageGloballyCommand,
  TriggerReceiveTaskCommand,
  WorkflowPattern,
} from '@app/contracts';
import { BpmnEventsService } from './bpmn-events.service';

@Controller()
export class BpmnEventsController {
  constructor(private readonly events: BpmnEventsService) {}

  @MessagePattern(WorkflowPattern.SignalBroadcast)
  broadcast(@Payload('body') command: BroadcastSignalCommand) {
    return this.events.broadcast(command);
  }

  @MessagePattern(WorkflowPattern.MessageCorrelate)
  correlate(@Payload('body') command: CorrelateMessageGloballyCommand) {
    return this.events.correlate(command);
  }

  @MessagePattern(WorkflowPattern.ReceiveTaskTrigger)
  trigger(@Payload('body') command: TriggerReceiveTaskCommand) {
    return this.events.trigger(command);
  }
}
