import { signPayload, verifySignature } from '../webhooks/signature';
import { assertWebhookTarget, isPrivateAddress } from '../webhooks/webhook-target';

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
  ])('%s is private', (ip) => expect(isPrivateAddress(ip)).toBe(true));
  it.each(['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );

  it('refuses loopback, private, credentials and other schemes unless allowed', async () => {
    await expect(assertWebhookTarget('http://127.0.0.1:9/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://localhost/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://[::1]/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://u:p@8.8.8.8/x', false)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('file:///etc/passwd', true)).rejects.toMatchObject({ code: 4101 });
    await expect(assertWebhookTarget('http://8.8.8.8/x', false)).resolves.toBeInstanceOf(URL);
    await expect(assertWebhookTarget('http://127.0.0.1:9/x', true)).resolves.toBeInstanceOf(URL);
  });

  it('signs timestamp and body with HMAC-SHA256', () => {
    const header = signPayload('k', '{"a":1}', 1700000000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('k', '{"a":1}', header)).toBe(true);
    expect(verifySignature('k', '{"a":2}', header)).toBe(false);
  });
});
