import type { MessageChannel } from '@app/database';

/** Channels a member can choose per event (group robots and webhooks are the administrator's). */
export const MEMBER_CHANNELS = [
  'inbox',
  'stream',
  'email',
  'sms',
] as const satisfies readonly MessageChannel[];
/** Channels that post once per event to a group (DingTalk/WeCom robots), switched on per event by an administrator. */
export const GROUP_CHANNELS = ['dingtalk', 'wecom'] as const satisfies readonly MessageChannel[];
/** Channels that need an administrator's configuration before anything is sent. */
export const CONFIGURED_CHANNELS = [
  'email',
  'sms',
  'dingtalk',
  'wecom',
] as const satisfies readonly MessageChannel[];

/** With no member choice and no administrator default: in-app and browser push on, the rest off. */
export const BUILT_IN_DEFAULTS: Record<MessageChannel, boolean> = {
  inbox: true,
  stream: true,
  email: false,
  sms: false,
  dingtalk: false,
  wecom: false,
  webhook: false,
};

/** A member's choice wins over the administrator's default, which wins over the built-in one. */
export function channelEnabled(
  channel: MessageChannel,
  memberChoice: boolean | undefined,
  adminDefault: boolean | undefined,
): boolean {
  return memberChoice ?? adminDefault ?? BUILT_IN_DEFAULTS[channel];
}
