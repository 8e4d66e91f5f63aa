import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaEscalationHandler } from '../sla/sla-escalation.handler';
import { SlaModule } from '../sla/sla.module';
import { TaskNotificationHandler } from '../notifications/inbox/task-notification.handler';
import { WebhookEventHandler } from '../notifications/webhooks/webhook-event.handler';
import { WorkflowEventsConsumer } from './workflow-events.consumer';
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Feeds workflow events to the gateway. Features add handlers by listing them in `inject` below
 * (notifications, webhooks, SLA); the consumer de-duplicates by event id for all of them.
 */
@Module({
  imports: [NotificationsModule, SlaModule],
  providers: [
    WorkflowEventsConsumer,
    {
      provide: WORKFLOW_EVENT_HANDLERS,
      useFactory: (...handlers: WorkflowEventHandler[]) => handlers,
      inject: [TaskNotificationHandler, WebhookEventHandler, SlaEscalationHandler],
    },
  ],
  exports: [WorkflowEventsConsumer],
})
export class WorkflowEventsModule {}
