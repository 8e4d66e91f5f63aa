import { ErrorCode } from '@app/contracts';
import { AppException } from '@app/common';

/** Stable reasons of the notifications feature. */
export enum NotificationsReason {
  WebhookTargetRefused = 'WEBHOOK_TARGET_REFUSED',
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  UnknownTopic = 'UNKNOWN_TOPIC',
}

export class NotificationsException extends AppException {
  constructor(code: ErrorCode, reason: NotificationsReason, message?: string, field?: string) {
    super(code, reason, message, field ? [{ field, reason: message ?? reason }] : undefined);
  }

  static targetRefused(why: string): NotificationsException {
    return new NotificationsException(
      ErrorCode.InvalidParameter,
      NotificationsReason.WebhookTargetRefused,
      why,
      'url',
    );
  }
}
