import { NotificationEntity } from './notification.entity';
import { WebhookDeliveryEntity, WebhookSubscriptionEntity } from './webhook.entity';

export * from './notification.entity';
export * from './webhook.entity';

export const NOTIFICATION_ENTITIES = [NotificationEntity, WebhookSubscriptionEntity, WebhookDeliveryEntity];
