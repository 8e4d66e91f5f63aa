import { Module } from '@nestjs/common';
import { WorkflowEventsConsumer } from './workflow-events.consumer';
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Feeds workflow events to the gateway. Features add handlers by listing them in `inject` below
 * (notifications, webhooks, SLA); the consumer de-duplicates by event id for all of them.
 */
@Module({
  providers: [
    WorkflowEventsConsumer,
    {
      provide: WORKFLOW_EVENT_HANDLERS,
      useFactory: (...handlers: WorkflowEventHandler[]) => handlers,
      inject: [],
    },
  ],
  exports: [WorkflowEventsConsumer],
})
export class WorkflowEventsModule {}
