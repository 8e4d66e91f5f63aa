import { createHmac, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { OutboundHttp } from './outbound-http';
import {
  type ChannelResult,
  ChannelError,
  type ChannelSender,
  httpUrlProblem,
  type OutgoingMessage,
  requireStrings,
  str,
} from './channel';

/** An SMS provider: the SMS channel picks one by `config.provider`. */
export interface SmsProvider {
  readonly name: string;
  requiredConfig: readonly string[];
  send(
    to: string,
    templateParams: Record<string, unknown>,
    config: Record<string, unknown>,
    http: OutboundHttp,
  ): Promise<ChannelResult>;
}

/** RFC 3986 percent-encoding as Alibaba Cloud's RPC signature wants it (only A-Z a-z 0-9 - _ . ~ kept). */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Alibaba Cloud RPC signature (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): parameters sorted by
 * name, each `encode(name)=encode(value)`, joined by `&`; the string to sign is
 * `<METHOD>&%2F&encode(canonicalized)`; the key is `<AccessKeySecret>&`; the result is base64.
 */
export function aliyunSignature(method: string, params: Record<string, string>, secret: string): string {
  const canonical = Object.keys(params)
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k])}`)
    .join('&');
  const toSign = `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', `${secret}&`).update(toSign).digest('base64');
}

/**
 * Alibaba Cloud SMS (dysmsapi 2017-05-25, SendSms). Config: accessKeyId, accessKeySecret, signName
 * (短信签名), templateCode (an approved template whose variables are the centre template's
 * variables with `.` written `_`), endpoint (default https://dysmsapi.aliyuncs.com/), regionId.
 */
export class AliyunSmsProvider implements SmsProvider {
  readonly name = 'aliyun';
  readonly requiredConfig = ['accessKeyId', 'accessKeySecret', 'signName', 'templateCode'] as const;

  async send(
    to: string,
    templateParams: Record<string, unknown>,
    config: Record<string, unknown>,
    http: OutboundHttp,
  ) {
    const params: Record<string, string> = {
      AccessKeyId: str(config, 'accessKeyId'),
      Action: 'SendSms',
      Format: 'JSON',
      PhoneNumbers: to,
      RegionId: str(config, 'regionId') || 'cn-hangzhou',
      SignName: str(config, 'signName'),
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      TemplateCode: str(config, 'templateCode'),
      TemplateParam: JSON.stringify(templateParams),
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
    };
    const signature = aliyunSignature('GET', params, str(config, 'accessKeySecret'));
    const query = Object.entries({ Signature: signature, ...params })
      .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
      .join('&');
    const endpoint = new URL(str(config, 'endpoint') || 'https://dysmsapi.aliyuncs.com/');
    const answer = await http.request(`${endpoint.origin}${endpoint.pathname}?${query}`, {
      method: 'GET',
      timeoutMs: 10_000,
    });
    const text = answer.text.slice(0, 1000);
    let parsed: { Code?: string; Message?: string } = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new ChannelError(`HTTP ${answer.status}: not JSON`, text);
    }
    if (parsed.Code !== 'OK') {
      // throttling and service errors may pass; signature, template and number errors will not
      const retryable = /Throttling|ServiceUnavailable|InternalError|LIMIT_CONTROL/i.test(parsed.Code ?? '');
      throw new ChannelError(`${parsed.Code}: ${parsed.Message}`, text, retryable);
    }
    return { status: 'sent' as const, answer: text };
  }
}

@Injectable()
export class SmsChannel implements ChannelSender {
  readonly channel = 'sms' as const;
  readonly urlKeys = ['endpoint'];
  private readonly providers = new Map<string, SmsProvider>([['aliyun', new AliyunSmsProvider()]]);

  constructor(private readonly http: OutboundHttp) {}

  validateConfig(config: Record<string, unknown>) {
    const provider = this.providers.get(str(config, 'provider'));
    if (!provider)
      return [
        {
          field: 'config.provider',
          reason: `provider must be one of ${[...this.providers.keys()].join(', ')}`,
        },
      ];
    const problems = requireStrings(config, provider.requiredConfig);
    if (config.endpoint !== undefined) problems.push(...httpUrlProblem(config, 'endpoint'));
    return problems;
  }

  send(message: OutgoingMessage, config: Record<string, unknown>): Promise<ChannelResult> {
    if (!message.address) throw new ChannelError('the recipient has no mobile number', null, false);
    const provider = this.providers.get(str(config, 'provider'));
    if (!provider) throw new ChannelError('no SMS provider configured', null, false);
    return provider.send(message.address, message.params, config, this.http);
  }
}
