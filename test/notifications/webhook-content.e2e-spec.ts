import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
// eslint-disable-next-line no-restricted-imports -- the receiver checks signatures with the gateway's own verifier
import { verifySignature } from '../../apps/gateway/src/notifications/webhooks/signature';
import { ok, until } from '../workflow/workflow-helpers';

interface Received {
  path: string;
  eventId: string;
  body: string;
  signature: string;
}

/** A receiver on 127.0.0.1 that answers 200 and keeps every request, by URL path. */
function receiver() {
  const log: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      log.push({
        path: req.url ?? '',
        eventId: String(req.headers['x-flowdesk-event-id']),
        body,
        signature: String(req.headers['x-flowdesk-signature']),
      });
      res.end('ok');
    });
  });
  return { server, log };
}

type Webhook = { id: string; secret: string; excludeFields: string[]; template: string | null };

describe('notifications: webhook content (S004-22: filter sensitive fields, templates, send status)', () => {
  let stack: Stack;
  let admin: TestSession;
  const hook = receiver();
  let base: string;

  beforeAll(async () => {
    await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}`;
    stack = await startStack({
      label: 'webhook-content',
      gatewayEnv: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_POLL_MS: '100' },
    });
    admin = await loginAsAdmin(stack.http);
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await stack?.stop();
    hook.server.close();
  });

  it('a subscription with excludeFields and a template gets the filtered payload and the rendered message, signed over what was sent; one without gets the full payload; secrets are always redacted', async () => {
    const shaped = ok<Webhook>(
      await admin.http.post('/api/v1/webhooks', {
        name: 'shaped',
        url: `${base}/shaped`,
        topics: ['orders.created'],
        excludeFields: ['data.candidates', 'data.assigneeId'],
        template:
          '任务 {{data.name}} ({{ data.serialNo }}) 已创建{{data.nothing.here}}, 处理人 {{data.assigneeId}}',
      }),
    );
    expect(shaped).toMatchObject({
      excludeFields: ['data.candidates', 'data.assigneeId'],
      template: expect.stringContaining('{{data.name}}'),
    });
    const plain = ok<Webhook>(
      await admin.http.post('/api/v1/webhooks', {
        name: 'plain',
        url: `${base}/plain`,
        topics: ['orders.created'],
      }),
    );
    expect(plain).toMatchObject({ excludeFields: [], template: null });
    // GET shows the fields
    expect(ok<Webhook>(await admin.http.get(`/api/v1/webhooks/${shaped.id}`))).toMatchObject({
      excludeFields: ['data.candidates', 'data.assigneeId'],
      template: expect.stringContaining('{{ data.serialNo }}'),
    });

    const data = {
      name: '报修',
      serialNo: 'WO-0042',
      assigneeId: '17',
      candidates: ['3', '4'],
      contact: { phone: '13800000000', password: 'hunter2', accounts: [{ apiKey: 'k-1', bank: 'x' }] },
      accessToken: 'eyJ...',
    };
    const published = ok<{ eventId: string; deliveries: number }>(
      await admin.http.post('/api/v1/topics/orders.created/publish', { data }),
    );
    expect(published.deliveries).toBe(2);
    const got = await until(
      async () => {
        const mine = hook.log.filter((r) => r.eventId === published.eventId);
        return mine.length === 2 ? mine : undefined;
      },
      20_000,
      'both deliveries',
    );
    const toShaped = got.find((r) => r.path === '/shaped')!;
    const toPlain = got.find((r) => r.path === '/plain')!;

    // signed over exactly the bytes that were sent, each with its own secret
    expect(verifySignature(shaped.secret, toShaped.body, toShaped.signature)).toBe(true);
    expect(verifySignature(plain.secret, toPlain.body, toPlain.signature)).toBe(true);
    expect(verifySignature(plain.secret, toShaped.body, toShaped.signature)).toBe(false);

    const redactedContact = {
      phone: '13800000000',
      password: '[redacted]',
      accounts: [{ apiKey: '[redacted]', bank: 'x' }],
    };
    const shapedBody = JSON.parse(toShaped.body);
    expect(shapedBody).toMatchObject({ id: published.eventId, topic: 'orders.created' });
    expect(shapedBody.data).toEqual({
      name: '报修',
      serialNo: 'WO-0042',
      contact: redactedContact,
      accessToken: '[redacted]',
    });
    // rendered from the filtered payload: an excluded field renders empty, unknown paths too
    expect(shapedBody.message).toBe('任务 报修 (WO-0042) 已创建, 处理人 ');

    const plainBody = JSON.parse(toPlain.body);
    expect(plainBody.data).toEqual({ ...data, contact: redactedContact, accessToken: '[redacted]' });
    expect(plainBody).not.toHaveProperty('message');
    expect(toPlain.body).not.toContain('hunter2');
    expect(toShaped.body).not.toContain('hunter2');

    // send status: the delivery log stores the same filtered payload as delivered
    const log = ok<{ rows: { eventId: string; status: string; payload: unknown }[] }>(
      await admin.http.get(`/api/v1/webhooks/${shaped.id}/deliveries`),
    );
    expect(log.rows.find((d) => d.eventId === published.eventId)).toMatchObject({
      status: 'delivered',
      payload: shapedBody,
    });

    // PATCH changes the rules for later events; null removes the template
    const updated = ok<Webhook>(
      await admin.http.patch(`/api/v1/webhooks/${shaped.id}`, {
        excludeFields: ['data.contact'],
        template: null,
      }),
    );
    expect(updated).toMatchObject({ excludeFields: ['data.contact'], template: null });
    const second = ok<{ eventId: string }>(
      await admin.http.post(`/api/v1/webhooks/${shaped.id}/messages`, { topic: 'orders.created', data }),
    );
    const next = await until(
      async () => hook.log.find((r) => r.eventId === second.eventId),
      20_000,
      'point-to-point delivery',
    );
    const nextBody = JSON.parse(next.body);
    expect(nextBody.data).toEqual({
      name: '报修',
      serialNo: 'WO-0042',
      assigneeId: '17',
      candidates: ['3', '4'],
      accessToken: '[redacted]',
    });
    expect(nextBody).not.toHaveProperty('message');
  });

  it('refuses invalid templates and field paths, per field, on create and update', async () => {
    const fields = (res: { body?: unknown }) =>
      ((res.body as { errors?: { field: string }[] }).errors ?? []).map((e) => e.field);
    const create = (extra: Record<string, unknown>) =>
      admin.http.post('/api/v1/webhooks', { name: 'bad', url: `${base}/bad`, topics: [], ...extra });

    for (const template of [
      '任务 {{data.name',
      'x }} y',
      '{{ a + b }}',
      '{{data.constructor.name}}',
      'x'.repeat(2001),
    ]) {
      const res = await create({ template });
      expect([res.status, res.body?.code]).toEqual([400, 4101]);
      expect(fields(res)).toContain('template');
      expect(fields(res)).not.toContain('excludeFields');
    }
    for (const excludeFields of [['__proto__.polluted'], ['data.constructor'], ['data..x'], ['ok', '']]) {
      const res = await create({ excludeFields });
      expect([res.status, res.body?.code]).toEqual([400, 4101]);
      expect(fields(res)).toContain('excludeFields');
    }
    const both = await create({ template: '{{', excludeFields: ['prototype'] });
    expect(fields(both).sort()).toEqual(['excludeFields', 'template']);

    const saved = ok<Webhook>(
      await admin.http.post('/api/v1/webhooks', { name: 'good', url: `${base}/good`, topics: [] }),
    );
    const res = await admin.http.patch(`/api/v1/webhooks/${saved.id}`, {
      template: '{{data.x}',
      excludeFields: ['a'],
    });
    expect([res.status, res.body?.code]).toEqual([400, 4101]);
    expect(fields(res)).toEqual(['template']);
    // nothing was saved
    expect(ok<Webhook>(await admin.http.get(`/api/v1/webhooks/${saved.id}`))).toMatchObject({
      excludeFields: [],
      template: null,
    });
  });
});
