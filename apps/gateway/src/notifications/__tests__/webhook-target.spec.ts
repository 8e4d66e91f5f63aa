import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPayload, verifySignature } from '../webhooks/signature';
import {
  assertWebhookTarget,
  isPrivateAddress,
  postToTarget,
  resolveWebhookTarget,
} from '../webhooks/webhook-target';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '0.0.0.0',
    // every IPv6 spelling of loopback and private ranges
    '::',
    '::127.0.0.1', // IPv4-compatible
    '::7f00:1',
    '::ffff:7f00:1', // IPv4-mapped, hex
    '::ffff:10.0.0.1',
    '::ffff:0:127.0.0.1', // IPv4-translated (RFC 6145)
    '64:ff9b::127.0.0.1', // NAT64
    '64:ff9b::a9fe:a9fe', // NAT64 to 169.254.169.254
    '64:ff9b:1::c0a8:101', // local-use NAT64
    '2002:7f00:1::1', // 6to4 of 127.0.0.1
    '2002:c0a8:101::1', // 6to4 of 192.168.1.1
    '2001:0:4136:e378:8000:63bf:80ff:fffe', // Teredo whose client is 127.0.0.1
    'fe80::1%eth0',
    'febf::1',
    'fc00::1',
    'fdff:ffff::1',
    'ff02::1',
    '2001:db8::1', // documentation
    '100::1', // discard
    '0:0:0:0:0:0:0:1',
    '0::1',
    '::0:127.0.0.1', // IPv4-compatible, spelled with a zero group
    '::FFFF:127.0.0.1', // upper case
    '::ffff:169.254.1.1',
    '::ffff:0:0',
    'fec0::1', // deprecated site-local
    'ff05::2',
    '3fff::1', // documentation (RFC 9637)
    '2001:2::1', // benchmarking
    '5f00::1', // segment routing
    '100.64.0.1', // carrier-grade NAT
    '198.18.0.1', // benchmarking
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    'not-an-address',
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (ip) => expect(isPrivateAddress(ip)).toBe(false));

  it('refuses loopback, private, credentials and other schemes unless allowed', async () => {
    await expect(assertWebhookTarget('http://127.0.0.1:9/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://localhost/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://[::1]/x', false)).rejects.toMatchObject({ code: 4101 });
    for (const spelling of [
      '[::127.0.0.1]',
      '[::0:127.0.0.1]',
      '[0:0:0:0:0:0:127.0.0.1]',
      '[::7f00:1]',
      '[::FFFF:127.0.0.1]',
      '[::ffff:0:127.0.0.1]',
      '[64:ff9b:1::a00:1]',
      '[2001:0:4136:e378:8000:63bf:80ff:fffe]',
      '[fe80::1%25eth0]',
      '[fec0::1]',
      '[::]',
      '[::ffff:127.0.0.1]',
      '[::ffff:7f00:1]',
      '[64:ff9b::7f00:1]',
      '[2002:7f00:1::]',
      '[fd12::1]',
      '0x7f.1',
      '2130706433',
    ])
      await expect(assertWebhookTarget(`http://${spelling}/x`, false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://u:p@8.8.8.8/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('file:///etc/passwd', true)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://8.8.8.8/x', false)).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookTarget('http://127.0.0.1:9/x', true)).resolves.toBeInstanceOf(URL);
  });

  it('refuses http://[::127.0.0.1]/ (IPv4-compatible loopback) and pins an IPv6 literal as checked', async () => {
    await expect(resolveWebhookTarget('http://[::127.0.0.1]/', false)).rejects.toMatchObject({ code: 4101 });
    const v6 = await resolveWebhookTarget('http://[2606:4700:4700::1111]/hook', false);
    expect(v6.addresses).toEqual([{ address: '2606:4700:4700::1111', family: 6 }]);
  });

  it('connects to the checked address only: the host is not resolved a second time', async () => {
    let seen: IncomingHttpHeaders | undefined;
    const server = createServer((req, res) => {
      seen = req.headers;
      req.resume();
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    try {
      // a host name that no resolver knows: only the pinned address can make this connection work
      const target = {
        url: new URL(`http://hook.flowdesk.invalid:${port}/in`),
        addresses: [{ address: '127.0.0.1', family: 4 as const }],
      };
      await expect(postToTarget(target, { 'x-test': '1' }, '{"a":1}', 5000)).resolves.toEqual({
        status: 204,
      });
      expect(seen).toMatchObject({
        host: `hook.flowdesk.invalid:${port}`,
        'x-test': '1',
        'content-length': '7',
      });
      const checked = await resolveWebhookTarget(`http://127.0.0.1:${port}/in`, true);
      expect(checked.addresses).toEqual([{ address: '127.0.0.1', family: 4 }]);
      await expect(resolveWebhookTarget(`http://127.0.0.1:${port}/in`, false)).rejects.toMatchObject({
        code: 4101,
      });
    } finally {
      server.close();
    }
  });

  it('signs timestamp and body with HMAC-SHA256', () => {
    const header = signPayload('k', '{"a":1}', 1700000000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('k', '{"a":1}', header)).toBe(true);
    expect(verifySignature('k', '{"a":2}', header)).toBe(false);
  });
});
