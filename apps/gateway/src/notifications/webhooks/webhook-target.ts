import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { NotificationsException } from '../notifications.exception';

const BLOCKED = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  BLOCKED.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, bits, 'ipv6');

/** True for loopback, private, shared, link-local, unique-local, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

/**
 * Checks a webhook URL: http(s) only, no credentials in it, and (unless allowed) every address its
 * host resolves to must be public. Called at subscription time and again before each attempt, so a
 * DNS answer that changes to a private address later is still refused.
 */
export async function assertWebhookTarget(raw: string, allowPrivate: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw NotificationsException.targetRefused('not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw NotificationsException.targetRefused('only http and https targets are allowed');
  if (url.username || url.password)
    throw NotificationsException.targetRefused('credentials in the URL are not allowed');
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost'))
    throw NotificationsException.targetRefused('loopback targets are not allowed');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw NotificationsException.targetRefused(`cannot resolve ${host}`);
    }
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress))
    throw NotificationsException.targetRefused('private, loopback and link-local targets are not allowed');
  return url;
}
