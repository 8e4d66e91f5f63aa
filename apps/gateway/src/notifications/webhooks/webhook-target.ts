import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { NotificationsException } from '../notifications.exception';

/** IPv6 forms that carry an IPv4 address (mapped, translated, NAT64, 6to4, Teredo): judged by that address. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const v4 = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const range = address.range();
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (translated), 64:ff9b::a.b.c.d (NAT64)
  if (range === 'ipv4Mapped' || range === 'rfc6145' || range === 'rfc6052') return v4(parts[6], parts[7]);
  if (range === '6to4') return v4(parts[1], parts[2]); // 2002:aabb:ccdd::/48
  if (range === 'teredo') return v4(parts[6] ^ 0xffff, parts[7] ^ 0xffff); // client address, inverted
  // IPv4-compatible ::a.b.c.d (deprecated; ipaddr.js calls it unicast) and local-use NAT64 64:ff9b:1::/48
  if (parts.slice(0, 6).every((p) => p === 0)) return v4(parts[6], parts[7]);
  if (parts[0] === 0x64 && parts[1] === 0xff9b && parts[2] === 1) return v4(parts[6], parts[7]);
  return undefined;
}

/**
 * True unless the address is public unicast: IPv4 outside every special range, IPv6 only inside global
 * unicast 2000::/3 (so loopback, unspecified, link-local, unique-local, multicast, documentation and
 * discard are refused), and IPv6 forms that embed an IPv4 address are judged by that address.
 */
export function isPrivateAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return true;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range() !== 'unicast';
  const v6 = parsed as ipaddr.IPv6;
  const v4 = embeddedIpv4(v6);
  if (v4) return v4.range() !== 'unicast';
  return v6.range() !== 'unicast' || (v6.parts[0] & 0xe000) !== 0x2000;
}

export interface WebhookTarget {
  url: URL;
  /** The checked addresses; a connection must use one of these and never resolve the host again. */
  addresses: { address: string; family: 4 | 6 }[];
}

/**
 * Checks an outbound URL (a webhook target, a DingTalk/WeCom robot, an SMS endpoint): http(s) only, no
 * credentials in it, and (unless WEBHOOK_ALLOW_PRIVATE_TARGETS) every address its host resolves to
 * must be public. Called when the URL is saved and again before each attempt, and the attempt
 * connects to the address checked here (`postToTarget`, `exchangeWithTarget`), so a DNS answer that
 * changes between the check and the connection (rebinding) cannot reach a private address. `field`
 * names the URL in a refusal (4101).
 */
export async function assertWebhookTarget(raw: string, allowPrivate: boolean, field = 'url'): Promise<URL> {
  return allowPrivate ? parseTargetUrl(raw, field) : (await resolveWebhookTarget(raw, false, field)).url;
}

function parseTargetUrl(raw: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw NotificationsException.targetRefused('not a valid URL', field);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw NotificationsException.targetRefused('only http and https targets are allowed', field);
  if (url.username || url.password)
    throw NotificationsException.targetRefused('credentials in the URL are not allowed', field);
  return url;
}

/** The checked URL with the addresses to connect to (resolved once, here). */
export async function resolveWebhookTarget(
  raw: string,
  allowPrivate: boolean,
  field = 'url',
): Promise<WebhookTarget> {
  const url = parseTargetUrl(raw, field);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (host === 'localhost' || host.endsWith('.localhost')))
    throw NotificationsException.targetRefused('loopback targets are not allowed', field);
  let addresses: WebhookTarget['addresses'];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    try {
      const found = await lookup(host, { all: true, verbatim: true });
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      throw NotificationsException.targetRefused(`cannot resolve ${host}`, field);
    }
  }
  if (addresses.length === 0) throw NotificationsException.targetRefused(`cannot resolve ${host}`, field);
  if (!allowPrivate && addresses.some((a) => isPrivateAddress(a.address)))
    throw NotificationsException.targetRefused(
      'private, loopback and link-local targets are not allowed',
      field,
    );
  return { url, addresses };
}

/** A `lookup` that answers the checked address: no second DNS resolution. */
function pinnedLookup(target: WebhookTarget): LookupFunction {
  const [pinned] = target.addresses;
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * One request to a checked target, connecting to the checked address like `postToTarget`, answering
 * the status and the first `maxAnswerBytes` of the body (channels keep the provider's answer).
 */
export function exchangeWithTarget(
  target: WebhookTarget,
  options: {
    method: 'GET' | 'POST';
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    maxAnswerBytes?: number;
  },
): Promise<{ status: number; text: string }> {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const limit = options.maxAnswerBytes ?? 64 * 1024;
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: options.method,
        lookup: pinnedLookup(target),
        headers,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < limit) chunks.push(chunk.subarray(0, limit - size));
          size += chunk.length;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface PostResult {
  status: number;
}

/**
 * POSTs to a checked target over node:http(s) with a `lookup` that answers the checked address, so
 * there is no second DNS resolution; TLS still verifies the certificate against the host name.
 * Redirects are not followed (a 3xx is just a non-2xx answer).
 */
export function postToTarget(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: 'POST',
        lookup: pinnedLookup(target),
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res: IncomingMessage) => {
        res.resume(); // the answer's body is not read; drain it so the socket is freed
        res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
