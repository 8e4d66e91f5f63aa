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

  /** An outbound URL (webhook target, robot webhook, SMS endpoint) failed the target check. */
  static targetRefused(why: string, field = 'url'): NotificationsException {
    return new NotificationsException(
      ErrorCode.InvalidParameter,
      NotificationsReason.WebhookTargetRefused,
      why,
      field,
    );
  }
}
