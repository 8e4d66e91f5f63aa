import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { CentreRepository } from './centre/centre.repository';
import { CentreService } from './centre/centre.service';
import { MessageCentreController } from './centre/centre.controller';
import { MessageDispatcher } from './centre/message-dispatcher';
import { MessageSettings } from './centre/message-settings.service';
import { SendWorker } from './centre/send.worker';
import type { ChannelSender } from './channels/channel';
import { CHANNEL_SENDERS } from './channels/channel-registry';
import { EmailChannel } from './channels/email.channel';
import { OutboundHttp } from './channels/outbound-http';
import { DingTalkChannel, WeComChannel } from './channels/robots.channel';
import { SmsChannel } from './channels/sms.channel';
import { InboxController } from './inbox/inbox.controller';
import { InboxRepository } from './inbox/inbox.repository';
import { InboxService } from './inbox/inbox.service';
import { TaskNotificationHandler } from './inbox/task-notification.handler';
import { StreamController } from './stream/stream.controller';
import { StreamHub } from './stream/stream-hub';
import { TemplatesRepository } from './templates/templates.repository';
import { TemplatesService } from './templates/templates.service';
import { WebhookDeliveryWorker } from './webhooks/webhook-delivery.worker';
import { WebhookEventHandler } from './webhooks/webhook-event.handler';
import { TopicsController, WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksRepository } from './webhooks/webhooks.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/**
 * The message centre (DESIGN §5): templates, masking and the word filter, preferences, send records
 * and their worker, and the channels — in-app inbox, server-sent events, webhooks (pub/sub and
 * point-to-point), e-mail, SMS, DingTalk and WeCom robots — all fed by the workflow outbox.
 */
@Module({
  imports: [IdentityModule],
  controllers: [
    InboxController,
    WebhooksController,
    TopicsController,
    MessageCentreController,
    StreamController,
  ],
  providers: [
    InboxRepository,
    InboxService,
    WebhooksRepository,
    WebhooksService,
    WebhookDeliveryWorker,
    TaskNotificationHandler,
    WebhookEventHandler,
    MessageSettings,
    MessageDispatcher,
    SendWorker,
    CentreRepository,
    CentreService,
    TemplatesRepository,
    TemplatesService,
    StreamHub,
    OutboundHttp,
    EmailChannel,
    SmsChannel,
    DingTalkChannel,
    WeComChannel,
    {
      provide: CHANNEL_SENDERS,
      useFactory: (...senders: ChannelSender[]) => senders,
      inject: [EmailChannel, SmsChannel, DingTalkChannel, WeComChannel],
    },
  ],
  exports: [TaskNotificationHandler, WebhookEventHandler, MessageDispatcher],
})
export class NotificationsModule {}
