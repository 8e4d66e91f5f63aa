import { Module } from '@nestjs/common';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { TaskNotificationHandler } from './inbox/task-notification.handler';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookEventHandler } from './webhooks/webhook-event.handler';
import { TopicsController, WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';

/** In-app inbox and outbound webhooks, both fed by the workflow outbox (DESIGN §5). */
@Module({
  controllers: [InboxController, WebhooksController, TopicsController],
  providers: [
    InboxService,
    WebhooksService,
    WebhookDeliveryWorker,
    TaskNotificationHandler,
    WebhookEventHandler,
  ],
  exports: [TaskNotificationHandler, WebhookEventHandler],
})
export class NotificationsModule {}
