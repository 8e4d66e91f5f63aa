import {
  MessageChannelConfigEntity,
  MessageContactEntity,
  MessagePreferenceDefaultEntity,
  MessagePreferenceEntity,
  MessageSendEntity,
  MessageSensitiveWordEntity,
  MessageTemplateEntity,
  StreamEventEntity,
} from './message-centre.entity';
import { NotificationEntity } from './notification.entity';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entity';

export * from './message-centre.entity';
export * from './notification.entity';
export * from './webhook.entity';

export const NOTIFICATION_ENTITIES = [
  NotificationEntity,
  WebhookSubscriptionEntity,
  WebhookDeliveryEntity,
  MessageTemplateEntity,
  MessageChannelConfigEntity,
  MessageSensitiveWordEntity,
  MessagePreferenceDefaultEntity,
  MessagePreferenceEntity,
  MessageContactEntity,
  MessageSendEntity,
  StreamEventEntity,
];
