import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AckEventsCommand, FetchEventsCommand, RetryEventCommand, WorkflowPattern } from '@app/contracts';
import { EventsService } from './events.service';

@Controller()
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @MessagePattern(WorkflowPattern.EventsFetch)
  fetch(@Payload('body') command: FetchEventsCommand) {
    return this.events.fetch(command);
  }

  @MessagePattern(WorkflowPattern.EventsAck)
  ack(@Payload('body') command: AckEventsCommand) {
    return this.events.ack(command);
  }

  @MessagePattern(WorkflowPattern.EventsRetry)
  retry(@Payload('body') command: RetryEventCommand) {
    return this.events.retry(command);
  }
}
