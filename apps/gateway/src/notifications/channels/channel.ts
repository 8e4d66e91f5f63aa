import type { MessageChannel } from '@app/database';

/** What a channel sends: one rendered message to one address (or to a group robot). */
export interface OutgoingMessage {
  sendId: string;
  messageId: string;
  eventType: string;
  address: string | null;
  subject: string | null;
  body: string;
  params: Record<string, unknown>;
}

/** `sent`: the provider accepted it (SMTP 250); `delivered`: the provider reports it arrived (robot in the group). */
export interface ChannelResult {
  status: 'sent' | 'delivered';
  answer: string;
}

/** A failed attempt with the provider's answer when there was one (kept in the send record). */
export class ChannelError extends Error {
  constructor(
    message: string,
    readonly answer: string | null = null,
    /** false: retrying cannot help (bad configuration, refused address). */
    readonly retryable = true,
  ) {
    super(message);
  }
}

/**
 * One outbound channel of the message centre. `config` is the administrator's setting of the channel
 * (core.message_channel_config), validated by `validateConfig` when saved.
 */
export interface ChannelSender {
  readonly channel: MessageChannel;
  /** Config keys that hold outbound URLs: checked like webhook targets when saved (OutboundHttp). */
  readonly urlKeys?: readonly string[];
  /** Field problems of a configuration (empty: valid). */
  validateConfig(config: Record<string, unknown>): { field: string; reason: string }[];
  send(message: OutgoingMessage, config: Record<string, unknown>): Promise<ChannelResult>;
}

export const str = (config: Record<string, unknown>, key: string): string =>
  typeof config[key] === 'string' ? (config[key] as string) : '';

export function requireStrings(
  config: Record<string, unknown>,
  keys: readonly string[],
): { field: string; reason: string }[] {
  return keys
    .filter((key) => str(config, key).trim() === '')
    .map((key) => ({ field: `config.${key}`, reason: `${key} is required` }));
}

export function httpUrlProblem(
  config: Record<string, unknown>,
  key: string,
): { field: string; reason: string }[] {
  const value = str(config, key);
  try {
    const url = new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return [];
  } catch {
    // fall through
  }
  return [{ field: `config.${key}`, reason: `${key} must be an http(s) URL` }];
}
