import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createDepartment,
  createRole,
  createStaff,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
// eslint-disable-next-line no-restricted-imports -- the receiver checks signatures with the gateway's own verifier
import { verifySignature } from '../../apps/gateway/src/notifications/webhooks/signature';
import { deploy, ok, start, until } from '../workflow/workflow-helpers';

interface Received {
  eventId: string;
  topic: string;
  body: string;
  signature: string;
}

/** A receiver on 127.0.0.1 that answers 500 to the first two attempts of every event id, then 200. */
function receiver() {
  const attempts = new Map<string, number>();
  const log: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const eventId = String(req.headers['x-flowdesk-event-id']);
      const n = (attempts.get(eventId) ?? 0) + 1;
      attempts.set(eventId, n);
      if (n <= 2) {
        res.statusCode = 500;
        return res.end('not yet');
      }
      // the receiver's own log: one entry per event id, as a de-duplicating receiver keeps it
      if (!log.some((r) => r.eventId === eventId))
        log.push({
          eventId,
          topic: String(req.headers['x-flowdesk-topic']),
          body,
          signature: String(req.headers['x-flowdesk-signature']),
        });
      res.statusCode = 200;
      res.end('ok');
    });
  });
  return { server, attempts, log };
}

describe('notifications: inbox and webhooks fed by the workflow outbox', () => {
  let stack: Stack;
  let admin: TestSession;
  let db: Client;
  const hook = receiver();
  let hookUrl: string;

  beforeAll(async () => {
    await new Promise<void>((r) => hook.server.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`;
    stack = await startStack({
      label: 'notifications',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '200',
      },
    });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, readFileSync(join(__dirname, 'assigned-task.bpmn'), 'utf8'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await db?.end();
    await stack?.stop();
    hook.server.close();
  });

  it('a receiver that fails twice gets the event on the third try, once per event id, signed', async () => {
    const created = ok<{ id: string; secret: string }>(
      await admin.http.post('/api/v1/webhooks', { name: 'receiver', url: hookUrl, topics: ['task.created'] }),
    );
    const member = await createStaff(admin.http, { account: 'hooked' });
    const started = await start(admin.http, {
      definitionKey: 'assignedTask',
      variables: { handler: member.id },
    });
    const got = await until(
      async () => hook.log.find((r) => JSON.parse(r.body).instanceId === started.id),
      20_000,
      'webhook delivery',
    );
    expect(got.topic).toBe('task.created');
    expect(hook.attempts.get(got.eventId)).toBe(3);
    expect(verifySignature(created.secret, got.body, got.signature)).toBe(true);
    expect(verifySignature('whsec_wrong', got.body, got.signature)).toBe(false);
    expect(JSON.parse(got.body).data.assigneeId).toBe(member.id);

    const log = ok<{
      rows: { eventId: string; status: string; attempts: number; log: { httpStatus: number }[] }[];
    }>(await admin.http.get(`/api/v1/webhooks/${created.id}/deliveries`));
    const row = log.rows.find((d) => d.eventId === got.eventId)!;
    expect(row).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(row.log.map((a) => a.httpStatus)).toEqual([500, 500, 200]);

    // a redelivery of the workflow event (lease lost) neither queues nor sends it again
    await db.query(`UPDATE workflow.outbox_event SET delivered_at = NULL, available_at = now()`);
    await until(
      async () =>
        (await db.query(`SELECT count(*)::int AS n FROM workflow.outbox_event WHERE delivered_at IS NULL`))
          .rows[0].n === 0 || undefined,
      10_000,
      'redelivery',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(hook.log.filter((r) => r.eventId === got.eventId)).toHaveLength(1);
    expect(hook.attempts.get(got.eventId)).toBe(3);
    const queued = await db.query(
      `SELECT count(*)::int AS n FROM core.webhook_delivery WHERE event_id = $1`,
      [got.eventId],
    );
    expect(queued.rows[0].n).toBe(1);
  });

  it('point-to-point and publish/subscribe messages reach only their receivers', async () => {
    const a = ok<{ id: string }>(
      await admin.http.post('/api/v1/webhooks', { name: 'a', url: hookUrl, topics: ['orders.paid'] }),
    );
    const b = ok<{ id: string }>(
      await admin.http.post('/api/v1/webhooks', { name: 'b', url: hookUrl, topics: [] }),
    );
    const published = ok<{ eventId: string; deliveries: number }>(
      await admin.http.post('/api/v1/topics/orders.paid/publish', { data: { order: 7 } }),
    );
    expect(published.deliveries).toBe(1);
    const pushed = ok<{ eventId: string; deliveries: number }>(
      await admin.http.post(`/api/v1/webhooks/${b.id}/messages`, { data: { hello: 'b' } }),
    );
    expect(pushed.deliveries).toBe(1);
    await until(async () => hook.log.find((r) => r.eventId === pushed.eventId), 20_000, 'push');
    await until(async () => hook.log.find((r) => r.eventId === published.eventId), 20_000, 'publish');
    const topics = ok<{ topic: string; subscribers: number }[]>(await admin.http.get('/api/v1/topics'));
    expect(topics.find((t) => t.topic === 'orders.paid')?.subscribers).toBe(1);
    expect(topics.map((t) => t.topic)).toEqual(expect.arrayContaining(['task.created', 'instance.urged']));
    expect(a.id).not.toBe(b.id);
    // built-in topics are published by the platform only
    const refused = await admin.http.post('/api/v1/topics/task.created/publish', { data: {} });
    expect(refused.body?.code).toBe(4101);
  });

  it("webhooks are platform-wide: another department's staff holding webhook:read/write cannot list, read, change, rotate, delete or retry them (4001)", async () => {
    const sales = await createDepartment(admin.http, '销售部-钩子');
    const ops = await createDepartment(admin.http, '运维部-钩子');
    const departmental = await createRole(admin.http, {
      code: 'hook_dept',
      permissions: ['webhook:read', 'webhook:write'],
      dataScope: 'department_and_below',
    });
    const platform = await createRole(admin.http, {
      code: 'hook_all',
      permissions: ['webhook:read', 'webhook:write'],
      dataScope: 'all',
    });
    const ownerStaff = await createStaff(admin.http, {
      account: 'hook_owner',
      departmentId: sales,
      roleIds: [platform],
    });
    const probeStaff = await createStaff(admin.http, {
      account: 'hook_probe',
      departmentId: ops,
      roleIds: [departmental],
    });
    const owner = await loginAs(stack.http, ownerStaff.account, ownerStaff.password);
    const probe = await loginAs(stack.http, probeStaff.account, probeStaff.password);
    const hookOfSales = ok<{ id: string; secret: string }>(
      await owner.http.post('/api/v1/webhooks', {
        name: 'sales-crm',
        url: hookUrl,
        topics: ['task.created'],
      }),
    );
    const id = hookOfSales.id;
    const probes: [string, Promise<{ status: number; body?: { code?: number; data?: unknown } }>][] = [
      ['list', probe.http.get('/api/v1/webhooks')],
      ['get', probe.http.get(`/api/v1/webhooks/${id}`)],
      [
        'patch',
        probe.http.patch(`/api/v1/webhooks/${id}`, { url: 'https://example.com/stolen', active: false }),
      ],
      ['rotate', probe.http.post(`/api/v1/webhooks/${id}/rotate-secret`, {})],
      ['deliveries', probe.http.get(`/api/v1/webhooks/${id}/deliveries`)],
      ['retry', probe.http.post(`/api/v1/webhooks/${id}/deliveries/1/retry`, {})],
      ['delete', probe.http.delete(`/api/v1/webhooks/${id}`)],
      [
        'create',
        probe.http.post('/api/v1/webhooks', { name: 'mine', url: hookUrl, topics: ['task.created'] }),
      ],
    ];
    for (const [name, answer] of probes) {
      const { status, body } = await answer;
      expect([name, status, body?.code, body?.data ?? null]).toEqual([name, 403, 4001, null]);
    }
    // nothing changed: same receiver, still active, and the secret still signs
    const still = ok<{ url: string; active: boolean; name: string }>(
      await owner.http.get(`/api/v1/webhooks/${id}`),
    );
    expect(still).toMatchObject({ url: hookUrl, active: true, name: 'sales-crm' });
    const list = ok<{ rows: { name: string }[] }>(await owner.http.get('/api/v1/webhooks?pageSize=200'));
    expect(list.rows.map((r) => r.name)).not.toContain('mine');
    ok(await owner.http.delete(`/api/v1/webhooks/${id}`));
  });

  it('refuses loopback and private targets unless allowed (validated before any send)', async () => {
    const bad = await admin.http.post('/api/v1/webhooks', {
      name: 'x',
      url: 'ftp://example.com/',
      topics: [],
    });
    expect(bad.status).toBe(400);
    expect(bad.body?.code).toBe(4101);
  });

  it('the inbox shows task notifications and urges; unread count, mark read, read-all', async () => {
    const member = await createStaff(admin.http, { account: 'inboxer' });
    const me = await loginAs(stack.http, member.account, member.password);
    const started = await start(admin.http, {
      definitionKey: 'assignedTask',
      variables: { handler: member.id },
    });
    type Inbox = { total: number; rows: { id: string; topic: string; instanceId: string; read: boolean }[] };
    const first = await until(
      async () => {
        const inbox = ok<Inbox>(await me.http.get('/api/v1/inbox'));
        return inbox.rows.find((n) => n.topic === 'task.created' && n.instanceId === started.id);
      },
      15_000,
      'task notification',
    );
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${started.id}/urge`, { comment: '请尽快处理' }),
      'urge',
    );
    await until(
      async () => {
        const inbox = ok<Inbox>(await me.http.get('/api/v1/inbox?topic=instance.urged'));
        return inbox.rows.find((n) => n.instanceId === started.id);
      },
      15_000,
      'urge notification',
    );
    expect(ok<{ unread: number }>(await me.http.get('/api/v1/inbox/unread-count')).unread).toBe(2);
    expect(ok<{ read: boolean }>(await me.http.post(`/api/v1/inbox/${first.id}/read`, {})).read).toBe(true);
    expect(ok<{ unread: number }>(await me.http.get('/api/v1/inbox/unread-count')).unread).toBe(1);
    // someone else's notification is not found
    expect((await admin.http.post(`/api/v1/inbox/${first.id}/read`, {})).status).toBe(404);
    expect(ok<{ updated: number }>(await me.http.post('/api/v1/inbox/read-all', {})).updated).toBe(1);
    expect(ok<{ unread: number }>(await me.http.get('/api/v1/inbox/unread-count')).unread).toBe(0);
  });
});
