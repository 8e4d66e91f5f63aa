import { Module } from '@nestjs/common';
import { AttachmentRetentionHandler } from '../attachments/attachment-retention.handler';
import { AttachmentsModule } from '../attachments/attachments.module';
import { DeadLettersModule } from '../dead-letters/dead-letters.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaEscalationHandler } from '../sla/sla-escalation.handler';
import { SlaModule } from '../sla/sla.module';
import { TaskNotificationHandler } from '../notifications/inbox/task-notification.handler';
import { WebhookEventHandler } from '../notifications/webhooks/webhook-event.handler';
import { ProcessedEventsRepository } from './processed-events.repository';
import { WorkflowEventsConsumer } from './workflow-events.consumer';
import { WORKFLOW_EVENT_HANDLERS, type WorkflowEventHandler } from './workflow-event.handler';

/**
 * Feeds workflow events to the gateway. Features add handlers by listing them in `inject` below
 * (notifications, webhooks, SLA, attachment retention); the consumer de-duplicates by event id for all of them.
 */
@Module({
  imports: [NotificationsModule, SlaModule, AttachmentsModule, DeadLettersModule],
  providers: [
    WorkflowEventsConsumer,
    ProcessedEventsRepository,
    {
      provide: WORKFLOW_EVENT_HANDLERS,
      useFactory: (...handlers: WorkflowEventHandler[]) => handlers,
      inject: [
        TaskNotificationHandler,
        WebhookEventHandler,
        SlaEscalationHandler,
        AttachmentRetentionHandler,
      ],
    },
  ],
  exports: [WorkflowEventsConsumer],
})
export class WorkflowEventsModule {}
