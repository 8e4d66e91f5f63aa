import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OutboundHttp } from './outbound-http';
import {
  type ChannelResult,
  ChannelError,
  type ChannelSender,
  httpUrlProblem,
  type OutgoingMessage,
  str,
} from './channel';

/**
 * DingTalk custom robot "加签" signature: HMAC-SHA256 keyed with the secret over
 * `<timestamp ms>\n<secret>`, base64, URL-encoded as the `sign` query parameter next to `timestamp`.
 */
export function dingTalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

async function postRobot(
  http: OutboundHttp,
  url: string,
  body: unknown,
  timeoutMs: number,
): Promise<ChannelResult> {
  const answer = await http.request(url, {
    method: 'POST',
    timeoutMs,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
  });
  const text = answer.text.slice(0, 1000);
  if (answer.status < 200 || answer.status >= 300) throw new ChannelError(`HTTP ${answer.status}`, text);
  let parsed: { errcode?: number; errmsg?: string } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new ChannelError('the robot answered something that is not JSON', text);
  }
  // both robots answer errcode 0 on success; 310000 (DingTalk: bad sign/keyword) cannot succeed on retry
  if (parsed.errcode !== 0)
    throw new ChannelError(`errcode ${parsed.errcode}: ${parsed.errmsg}`, text, parsed.errcode !== 310000);
  return { status: 'delivered', answer: text };
}

const markdownOf = (message: OutgoingMessage) =>
  message.subject ? `### ${message.subject}\n\n${message.body}` : message.body;

/** DingTalk group robot. Config: webhook (…/robot/send?access_token=…), secret (SEC…, 加签). */
@Injectable()
export class DingTalkChannel implements ChannelSender {
  readonly channel = 'dingtalk' as const;
  readonly urlKeys = ['webhook'];

  constructor(private readonly http: OutboundHttp) {}

  validateConfig(config: Record<string, unknown>) {
    const problems = httpUrlProblem(config, 'webhook');
    if (!str(config, 'secret'))
      problems.push({ field: 'config.secret', reason: 'secret is required (加签)' });
    return problems;
  }

  send(message: OutgoingMessage, config: Record<string, unknown>): Promise<ChannelResult> {
    const timestamp = Date.now();
    const url = new URL(str(config, 'webhook'));
    url.searchParams.set('timestamp', String(timestamp));
    url.searchParams.set('sign', dingTalkSign(str(config, 'secret'), timestamp));
    return postRobot(
      this.http,
      url.toString(),
      {
        msgtype: 'markdown',
        markdown: { title: message.subject ?? message.eventType, text: markdownOf(message) },
      },
      10_000,
    );
  }
}

/**
 * WeCom (企业微信) group robot. Config: webhook (…/cgi-bin/webhook/send?key=…). WeCom robots have no
 * request signature: the key in the URL is the credential, so the URL is kept secret like one.
 */
@Injectable()
export class WeComChannel implements ChannelSender {
  readonly channel = 'wecom' as const;
  readonly urlKeys = ['webhook'];

  constructor(private readonly http: OutboundHttp) {}

  validateConfig(config: Record<string, unknown>) {
    return httpUrlProblem(config, 'webhook');
  }

  send(message: OutgoingMessage, config: Record<string, unknown>): Promise<ChannelResult> {
    return postRobot(
      this.http,
      str(config, 'webhook'),
      { msgtype: 'markdown', markdown: { content: markdownOf(message) } },
      10_000,
    );
  }
}
