/** Multi-provider token: every outbound ChannelSender (e-mail, SMS, DingTalk, WeCom). */
export const CHANNEL_SENDERS = Symbol('CHANNEL_SENDERS');
