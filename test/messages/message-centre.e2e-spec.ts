import { createHash, createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import {
  createDepartment,
  createRole,
  createStaff,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  refusalOf,
  sendUnreadBody,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, ok, start, until } from '../workflow/workflow-helpers';

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="mc" targetNamespace="http://flowdesk.example/mc">
  <process id="contractReview" name="合同评审" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="机密合同审批" camunda:assignee="\${handler}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

interface Mail {
  to: string[];
  raw: string;
}

/** A real SMTP server: refuses RCPT for addresses in `refuse` (451 temporary or 550 permanent). */
function smtpPeer() {
  const mails: Mail[] = [];
  const refuse = new Map<string, { code: number; times: number }>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const rule = refuse.get(address.address);
      if (rule && rule.times > 0) {
        rule.times--;
        const error = Object.assign(new Error(rule.code >= 500 ? 'no such user' : 'try again later'), {
          responseCode: rule.code,
        });
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  return { server, mails, refuse };
}

interface Hit {
  path: string;
  query: URLSearchParams;
  body: string;
  verified: boolean;
}

/** A local HTTP fake that checks each request with `verify` and answers like the real service. */
function fake(
  verify: (req: IncomingMessage, url: URL, body: string) => boolean,
  answer: (ok: boolean) => unknown,
) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const verified = verify(req, url, body);
      hits.push({ path: url.pathname, query: url.searchParams, body, verified });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(verified)));
    });
  });
  return { server, hits };
}

const listen = async (server: Server | SMTPServer) => {
  await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
  return ((server as unknown as { server?: Server }).server ?? (server as Server)).address() as AddressInfo;
};

// The fakes verify with their own code, written from the providers' documentation, not the gateway's.
const DING_SECRET = 'SEC0123456789abcdef';
const dingtalk = fake(
  (_req, url) => {
    const ts = url.searchParams.get('timestamp') ?? '';
    const expected = createHmac('sha256', DING_SECRET).update(`${ts}\n${DING_SECRET}`).digest('base64');
    return (
      url.searchParams.get('access_token') === 'robot-token' &&
      url.searchParams.get('sign') === expected &&
      Math.abs(Date.now() - Number(ts)) < 3_600_000
    );
  },
  (good) => (good ? { errcode: 0, errmsg: 'ok' } : { errcode: 310000, errmsg: 'sign not match' }),
);
const wecom = fake(
  (req, url, body) =>
    url.searchParams.get('key') === 'wecom-key' &&
    String(req.headers['content-type']).startsWith('application/json') &&
    (JSON.parse(body) as { msgtype?: string }).msgtype === 'markdown',
  (good) => (good ? { errcode: 0, errmsg: 'ok' } : { errcode: 93000, errmsg: 'invalid webhook url' }),
);
const ALIYUN_SECRET = 'aliyun-test-secret';
const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const aliyun = fake(
  (_req, url) => {
    const given = url.searchParams.get('Signature');
    const rest = [...url.searchParams.entries()].filter(([k]) => k !== 'Signature');
    rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const canonical = rest.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
    const expected = createHmac('sha1', `${ALIYUN_SECRET}&`)
      .update(`GET&%2F&${rfc3986(canonical)}`)
      .digest('base64');
    return given === expected && url.searchParams.get('Action') === 'SendSms';
  },
  (good) =>
    good
      ? {
          Code: 'OK',
          Message: 'OK',
          BizId: '900619746936498440^0',
          RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
        }
      : {
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature is not matched with our calculation.',
        },
);

interface SseEvent {
  id: string;
  event: string;
  data: Record<string, unknown>;
  at: number;
}

/** A fetch-based SSE client (EventSource cannot send the Bearer header). */
function sse(baseUrl: string, token: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  const controller = new AbortController();
  const opened = fetch(`${baseUrl}/api/v1/events/stream`, {
    headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  }).then(async (res) => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((l) => !l.startsWith(':') && l.includes(':'))
                .map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
            );
            if (fields.data)
              events.push({
                id: fields.id,
                event: fields.event,
                data: JSON.parse(fields.data),
                at: Date.now(),
              });
          }
        }
      } catch {
        // aborted
      }
    })();
    return res;
  });
  return { events, opened, close: () => controller.abort() };
}

describe('message centre: templates, masking, channels, send records, server push', () => {
  let stack: Stack;
  let admin: TestSession;
  const smtp = smtpPeer();
  let smtpPort: number;

  beforeAll(async () => {
    smtpPort = (await listen(smtp.server)).port;
    const [d, w, a] = await Promise.all([
      listen(dingtalk.server),
      listen(wecom.server),
      listen(aliyun.server),
    ]);
    stack = await startStack({
      label: 'message_centre',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        MESSAGE_POLL_MS: '100',
        MESSAGE_RETRY_BASE_MS: '200',
        MESSAGE_MAX_ATTEMPTS: '4',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_MS: '100',
        WEBHOOK_RETRY_BASE_MS: '100',
        WEBHOOK_MAX_ATTEMPTS: '2',
      },
    });
    admin = await loginAsAdmin(stack.http);
    await ok(
      await admin.http.put('/api/v1/messages/channels/email', {
        enabled: true,
        config: { host: '127.0.0.1', port: smtpPort, secure: false, from: 'Flowdesk <robot@flowdesk.local>' },
      }),
    );
    await ok(
      await admin.http.put('/api/v1/messages/channels/dingtalk', {
        enabled: true,
        config: {
          webhook: `http://127.0.0.1:${d.port}/robot/send?access_token=robot-token`,
          secret: DING_SECRET,
        },
      }),
    );
    await ok(
      await admin.http.put('/api/v1/messages/channels/wecom', {
        enabled: true,
        config: { webhook: `http://127.0.0.1:${w.port}/cgi-bin/webhook/send?key=wecom-key` },
      }),
    );
    await ok(
      await admin.http.put('/api/v1/messages/channels/sms', {
        enabled: true,
        config: {
          provider: 'aliyun',
          endpoint: `http://127.0.0.1:${a.port}/`,
          accessKeyId: 'LTAI-test',
          accessKeySecret: ALIYUN_SECRET,
          signName: '流程平台',
          templateCode: 'SMS_0001',
        },
      }),
    );
    await deploy(admin.http, PROCESS);
  }, 90_000);

  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await stack?.stop();
    await new Promise<void>((r) => smtp.server.close(() => r()));
    for (const s of [dingtalk.server, wecom.server, aliyun.server]) s.close();
  });

  const sends = async (http: HttpClient, query: string) =>
    ok<{
      total: number;
      rows: {
        id: string;
        status: string;
        attempts: number;
        body: string;
        subject: string;
        address: string;
        log: { status: string; answer: string | null }[];
      }[];
    }>(await http.get(`/api/v1/messages/sends?${query}`));

  it('templates: variables checked against the event at save time, preview with samples, versions', async () => {
    const bad = await admin.http.post('/api/v1/messages/templates', {
      eventType: 'task.created',
      channel: 'email',
      locale: 'zh-CN',
      subject: '新任务 {{nope}}',
      body: '{{recipient.name}} {{name}',
      fieldMasks: { 'recipient.mobile': 'scramble', 'not.a.field': 'mobile' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 4101 });
    const fields = (bad.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['subject', 'body', 'fieldMasks.recipient.mobile', 'fieldMasks.not.a.field']),
    );
    expect(
      (
        await admin.http.post('/api/v1/messages/templates', {
          eventType: 'nope',
          channel: 'email',
          locale: 'en',
          body: 'x',
        })
      ).body,
    ).toMatchObject({ code: 4101, errors: [{ field: 'eventType' }] });

    const template = {
      eventType: 'task.created',
      channel: 'email',
      locale: 'zh-CN',
      subject: '【待办】{{name}}',
      body: '{{recipient.name}}您好：流程「{{processName}}」有新任务「{{name}}」待您处理。您的登记手机 {{recipient.mobile}}。',
      fieldMasks: { 'recipient.mobile': 'mobile', 'recipient.name': 'name' },
    };
    const preview = ok<{ subject: string; body: string }>(
      await admin.http.post('/api/v1/messages/templates/preview', template),
    );
    expect(preview.body).toBe(
      '张*您好：流程「请假申请」有新任务「部门经理审批」待您处理。您的登记手机 138****1234。',
    );
    const v1 = ok<{ version: number }>(
      await admin.http.post('/api/v1/messages/templates', { ...template, body: 'v1 {{name}}' }),
    );
    const v2 = ok<{ id: string; version: number; variables: string[] }>(
      await admin.http.post('/api/v1/messages/templates', template),
    );
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.variables).toEqual(['name', 'recipient.name', 'processName', 'recipient.mobile']);
    const inUse = ok<{ rows: { version: number }[] }>(
      await admin.http.get('/api/v1/messages/templates?eventType=task.created&channel=email'),
    );
    expect(inUse.rows.map((r) => r.version)).toEqual([2]);
    const all = ok<{ rows: { version: number }[] }>(
      await admin.http.get('/api/v1/messages/templates?eventType=task.created&allVersions=true'),
    );
    expect(all.rows.map((r) => r.version)).toEqual([2, 1]);

    for (const channel of ['dingtalk', 'wecom', 'sms'])
      ok(
        await admin.http.post('/api/v1/messages/templates', {
          eventType: 'task.created',
          channel,
          locale: 'zh-CN',
          subject: '新任务',
          body: '{{processName}}：{{name}}（处理人 {{recipient.name}} {{recipient.mobile}}）',
          fieldMasks: { 'recipient.mobile': 'mobile', 'recipient.name': 'name' },
        }),
      );
    ok(await admin.http.put('/api/v1/messages/sensitive-words', { words: ['机密', 'password'] }));
    expect(
      ok<{ text: string; found: string[] }>(
        await admin.http.post('/api/v1/messages/sensitive-words/check', { text: '机密 Password' }),
      ),
    ).toEqual({
      text: '** ********',
      found: ['机密', 'password'],
    });
    ok(
      await admin.http.put('/api/v1/messages/preference-defaults', {
        choices: [
          { eventType: 'task.created', channel: 'dingtalk', enabled: true },
          { eventType: 'task.created', channel: 'wecom', enabled: true },
        ],
      }),
    );
    // secrets never come back
    const channels = ok<{ channel: string; config: Record<string, unknown> }[]>(
      await admin.http.get('/api/v1/messages/channels'),
    );
    expect(channels.find((c) => c.channel === 'dingtalk')?.config.secret).toBe('***');
    expect(channels.find((c) => c.channel === 'sms')?.config.accessKeySecret).toBe('***');
    // a bad channel configuration names the field
    expect(
      (
        await admin.http.put('/api/v1/messages/channels/email', {
          enabled: true,
          config: { host: '', port: 0 },
        })
      ).body,
    ).toMatchObject({ code: 4101 });
  });

  let member: { id: string; session: TestSession };

  it('a task for a member with e-mail on: masked, filtered mail from the template; robots and SMS signed; send records', async () => {
    const staff = await createStaff(admin.http, {
      account: 'zhangsan',
      realName: '张三',
      phone: '13812341234',
    });
    const session = await loginAs(stack.http, staff.account, staff.password);
    member = { id: staff.id, session };
    const prefs = ok<{
      email: string;
      choices: { eventType: string; channel: string; enabled: boolean; source: string }[];
    }>(
      await session.http.put('/api/v1/messages/preferences', {
        email: 'zhangsan@example.com',
        choices: [
          { eventType: 'task.created', channel: 'email', enabled: true },
          { eventType: 'task.created', channel: 'sms', enabled: true },
        ],
      }),
    );
    expect(prefs.choices.find((c) => c.eventType === 'task.created' && c.channel === 'email')).toMatchObject({
      enabled: true,
      source: 'member',
    });
    expect(
      (
        await session.http.put('/api/v1/messages/preferences', {
          choices: [{ eventType: 'task.created', channel: 'dingtalk', enabled: true }],
        })
      ).body,
    ).toMatchObject({ code: 4101 });

    const instance = await start(admin.http, {
      definitionKey: 'contractReview',
      variables: { handler: staff.id },
    });
    const mail = await until(
      async () => smtp.mails.find((m) => m.to.includes('zhangsan@example.com')),
      20_000,
      'mail',
    );
    const text = decodeMail(mail.raw);
    expect(text).toContain(
      '张*您好：流程「合同评审」有新任务「**合同审批」待您处理。您的登记手机 138****1234。',
    );
    expect(text).not.toContain('13812341234');
    expect(text).not.toContain('机密');

    const emailSend = await until(
      async () => {
        const page = await sends(admin.http, `channel=email&recipientId=${staff.id}`);
        return page.rows.find((r) => r.status === 'sent');
      },
      10_000,
      'email send record',
    );
    expect(emailSend).toMatchObject({
      attempts: 1,
      address: 'zhangsan@example.com',
      subject: '【待办】**合同审批',
    });
    expect(emailSend.log).toHaveLength(1);
    expect(emailSend.log[0].answer).toMatch(/^250/);

    const robots = await until(
      async () => {
        const page = await sends(admin.http, `eventType=task.created&status=delivered`);
        return page.rows.length >= 2 ? page.rows : undefined;
      },
      10_000,
      'robot sends',
    );
    expect(robots.map((r) => r.body)).toEqual(expect.arrayContaining(['合同评审：**合同审批（处理人  ）']));
    expect(dingtalk.hits.length).toBeGreaterThan(0);
    expect(dingtalk.hits.every((h) => h.verified)).toBe(true);
    expect(JSON.parse(dingtalk.hits[0].body)).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: '新任务' },
    });
    expect(wecom.hits.every((h) => h.verified)).toBe(true);
    expect(JSON.parse(wecom.hits[0].body).markdown.content).toContain('**合同审批');

    const sms = await until(
      async () => (await sends(admin.http, `channel=sms&recipientId=${staff.id}&status=sent`)).rows[0],
      10_000,
      'sms',
    );
    expect(sms.address).toBe('13812341234');
    expect(aliyun.hits).toHaveLength(1);
    expect(aliyun.hits[0].verified).toBe(true);
    expect(aliyun.hits[0].query.get('PhoneNumbers')).toBe('13812341234');
    expect(JSON.parse(aliyun.hits[0].query.get('TemplateParam')!)).toEqual({
      processName: '合同评审',
      name: '**合同审批',
      recipient_name: '张*',
      recipient_mobile: '138****1234',
    });
    expect(sms.log[0].answer).toContain('"Code":"OK"');

    // the inbox is a channel of the centre too
    const inbox = ok<{ rows: { instanceId: string }[] }>(await session.http.get('/api/v1/inbox'));
    expect(inbox.rows.map((r) => r.instanceId)).toContain(instance.id);
    // members cannot read the send records
    expect((await session.http.get('/api/v1/messages/sends')).body).toMatchObject({ code: 4001 });
  });

  it('a failing SMTP peer is retried with backoff and every attempt recorded; a permanent refusal fails at once and can be re-sent', async () => {
    const flaky = await createStaff(admin.http, { account: 'flaky', realName: '李四' });
    const flakySession = await loginAs(stack.http, flaky.account, flaky.password);
    ok(
      await flakySession.http.put('/api/v1/messages/preferences', {
        email: 'flaky@example.com',
        choices: [{ eventType: 'task.created', channel: 'email', enabled: true }],
      }),
    );
    smtp.refuse.set('flaky@example.com', { code: 451, times: 2 });
    await start(admin.http, { definitionKey: 'contractReview', variables: { handler: flaky.id } });
    const record = await until(
      async () => (await sends(admin.http, `channel=email&recipientId=${flaky.id}&status=sent`)).rows[0],
      20_000,
      'retried send',
    );
    expect(record.attempts).toBe(3);
    expect(record.log.map((a) => a.status)).toEqual(['failed', 'failed', 'sent']);
    expect(record.log[0].answer).toMatch(/451/);
    expect(smtp.mails.filter((m) => m.to.includes('flaky@example.com'))).toHaveLength(1);

    const bounce = await createStaff(admin.http, { account: 'bounce', realName: '王五' });
    const bounceSession = await loginAs(stack.http, bounce.account, bounce.password);
    ok(
      await bounceSession.http.put('/api/v1/messages/preferences', {
        email: 'bounce@example.com',
        choices: [{ eventType: 'task.created', channel: 'email', enabled: true }],
      }),
    );
    smtp.refuse.set('bounce@example.com', { code: 550, times: 1 });
    await start(admin.http, { definitionKey: 'contractReview', variables: { handler: bounce.id } });
    const failed = await until(
      async () => (await sends(admin.http, `channel=email&recipientId=${bounce.id}&status=failed`)).rows[0],
      20_000,
      'failed send',
    );
    expect(failed.attempts).toBe(1);
    expect(failed.log[0].answer).toMatch(/550/);
    // only a failed one can be re-sent; this one goes now that the peer accepts
    const resent = ok<{ status: string }>(
      await admin.http.post(`/api/v1/messages/sends/${failed.id}/resend`, {}),
    );
    expect(resent.status).toBe('queued');
    const sent = await until(
      async () => (await sends(admin.http, `channel=email&recipientId=${bounce.id}&status=sent`)).rows[0],
      20_000,
      're-sent',
    );
    expect(sent.log.map((a) => a.status)).toEqual(['failed', 'sent']);
    expect((await admin.http.post(`/api/v1/messages/sends/${failed.id}/resend`, {})).body).toMatchObject({
      code: 4090,
    });
    expect((await admin.http.post('/api/v1/messages/sends/999999/resend', {})).status).toBe(404);
  });

  it('server push: a task notification arrives within a second; a reconnect with Last-Event-ID loses nothing', async () => {
    const token = member.session.accessToken;
    const first = sse(stack.http.baseUrl, token);
    expect((await first.opened).headers.get('content-type')).toContain('text/event-stream');
    const a = await start(admin.http, { definitionKey: 'contractReview', variables: { handler: member.id } });
    const created = Date.now();
    const got = await until(
      async () => first.events.find((e) => e.data.instanceId === a.id),
      5_000,
      'pushed event',
    );
    expect(got.event).toBe('task.created');
    expect(got.at - created).toBeLessThan(1000);
    // the built-in text in the member's language only (zh-CN unless they chose en)
    expect(got.data.title).toBe('新任务: 合同评审: **合同审批');
    first.close();

    // two tasks while disconnected, then a reconnect from the last id seen
    const b = await start(admin.http, { definitionKey: 'contractReview', variables: { handler: member.id } });
    const c = await start(admin.http, { definitionKey: 'contractReview', variables: { handler: member.id } });
    await until(
      async () => {
        const inbox = ok<{ rows: { instanceId: string }[] }>(
          await member.session.http.get('/api/v1/inbox?pageSize=50'),
        );
        return inbox.rows.some((r) => r.instanceId === c.id) || undefined;
      },
      10_000,
      'tasks while away',
    );
    const second = sse(stack.http.baseUrl, token, got.id);
    await until(async () => second.events.find((e) => e.data.instanceId === c.id), 5_000, 'replay');
    expect(second.events.map((e) => e.data.instanceId)).toEqual([b.id, c.id]);
    expect(Number(second.events[0].id)).toBeGreaterThan(Number(got.id));
    second.close();

    // no token, no stream; someone else's stream holds none of these
    expect((await fetch(`${stack.http.baseUrl}/api/v1/events/stream`)).status).toBe(401);
    const other = sse(stack.http.baseUrl, admin.accessToken, '0');
    await (
      await other.opened
    ).headers;
    await new Promise((r) => setTimeout(r, 300));
    expect(other.events.filter((e) => [a.id, b.id, c.id].includes(String(e.data.instanceId)))).toEqual([]);
    other.close();
  });

  it('published messages from outside systems pass the sensitive-word filter', async () => {
    ok(
      await admin.http.post('/api/v1/webhooks', {
        name: 'x',
        url: 'http://127.0.0.1:9/hook',
        topics: ['crm.note'],
      }),
    );
    const published = ok<{ eventId: string }>(
      await admin.http.post('/api/v1/topics/crm.note/publish', {
        data: { note: '机密 note', n: 1, list: ['password1'] },
      }),
    );
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const { rows } = await db.query(`SELECT payload FROM core.webhook_delivery WHERE event_id = $1`, [
        published.eventId,
      ]);
      expect(rows[0].payload.data).toEqual({ note: '** note', n: 1, list: ['********1'] });
    } finally {
      await db.end();
    }
  });
  it('webhook deliveries are send records of the centre (channel webhook): every attempt, the answer, re-send', async () => {
    let answers = [500, 200];
    const seen: string[] = [];
    const receiver = createServer((req, res) => {
      req.resume();
      seen.push(String(req.headers['x-flowdesk-event-id']));
      res.statusCode = answers.length > 1 ? answers.shift()! : answers[0];
      res.end();
    });
    const { port } = await listen(receiver);
    try {
      const hook = ok<{ id: string }>(
        await admin.http.post('/api/v1/webhooks', {
          name: 'erp',
          url: `http://127.0.0.1:${port}/hooks/flowdesk?token=abc`,
          topics: ['erp.order'],
        }),
      );
      type Record = {
        id: string;
        channel: string;
        status: string;
        attempts: number;
        address: string;
        subject: string;
        body: string;
        eventType: string;
        log: { status: string; answer: string | null }[];
      };
      const record = async (eventId: string, status: string) =>
        until(
          async () =>
            ok<{ rows: Record[] }>(
              await admin.http.get(`/api/v1/messages/sends?channel=webhook&messageId=${eventId}`),
            ).rows.find((r) => r.status === status),
          15_000,
          `webhook send record ${status}`,
        );

      const first = ok<{ eventId: string }>(
        await admin.http.post('/api/v1/topics/erp.order/publish', { data: { orderNo: 'SO-1' } }),
      );
      const delivered = await record(first.eventId, 'delivered');
      expect(delivered).toMatchObject({
        channel: 'webhook',
        eventType: 'erp.order',
        attempts: 2,
        subject: 'erp',
        address: `http://127.0.0.1:${port}/hooks/flowdesk`,
      });
      expect(JSON.parse(delivered.body)).toMatchObject({ id: first.eventId, data: { orderNo: 'SO-1' } });
      expect(delivered.log.map((a) => [a.status, a.answer])).toEqual([
        ['failed', 'HTTP 500'],
        ['delivered', 'HTTP 200'],
      ]);
      // the webhook's own log says the same
      const deliveries = ok<{ rows: { eventId: string; status: string; attempts: number }[] }>(
        await admin.http.get(`/api/v1/webhooks/${hook.id}/deliveries`),
      );
      expect(deliveries.rows.find((d) => d.eventId === first.eventId)).toMatchObject({
        status: 'delivered',
        attempts: 2,
      });

      // a receiver that keeps failing: failed after WEBHOOK_MAX_ATTEMPTS; a re-send from the centre delivers it
      answers = [503];
      const second = ok<{ eventId: string }>(
        await admin.http.post(`/api/v1/webhooks/${hook.id}/messages`, { topic: 'erp.order', data: { n: 2 } }),
      );
      const failed = await record(second.eventId, 'failed');
      expect(failed.log.map((a) => a.answer)).toEqual(['HTTP 503', 'HTTP 503']);
      answers = [200];
      expect(
        ok<{ status: string }>(await admin.http.post(`/api/v1/messages/sends/${failed.id}/resend`, {}))
          .status,
      ).toBe('queued');
      const resent = await record(second.eventId, 'delivered');
      expect(resent.log.map((a) => a.status)).toEqual(['failed', 'failed', 'delivered']);
      expect(seen.filter((id) => id === second.eventId)).toHaveLength(3);
      const after = ok<{ rows: { eventId: string; status: string }[] }>(
        await admin.http.get(`/api/v1/webhooks/${hook.id}/deliveries`),
      );
      expect(after.rows.find((d) => d.eventId === second.eventId)?.status).toBe('delivered');
    } finally {
      receiver.close();
    }
  });
  it('replaces the sensitive-word list whole when administrators save it at the same moment', async () => {
    const before = ok<{ words: string[] }>(await admin.http.get('/api/v1/messages/sensitive-words')).words;
    // the same words in every list (each save deletes what it sees and inserts its own), one word of its own
    const lists = Array.from({ length: 8 }, (_, i) => ['机密', 'password', '工资', `词${i}`]);
    const answers = await Promise.all(
      lists.map((words) => admin.http.put('/api/v1/messages/sensitive-words', { words })),
    );
    expect(answers.map((a) => a.status)).toEqual(lists.map(() => 200));
    const saved = ok<{ words: string[] }>(await admin.http.get('/api/v1/messages/sensitive-words')).words;
    expect(lists.map((l) => [...l].sort())).toContainEqual([...saved].sort());
    ok(await admin.http.put('/api/v1/messages/sensitive-words', { words: before }));
  });

  it('a member’s first contact preferences saved twice at once: both saved, one of them kept', async () => {
    const staff = await createStaff(admin.http, { account: 'twice_saver' });
    const session = await loginAs(stack.http, staff.account, staff.password);
    // a client that retries, or two tabs: the member has no contact row yet
    const emails = Array.from({ length: 6 }, (_, i) => `twice${i}@example.com`);
    const answers = await Promise.all(
      emails.map((email) => session.http.put('/api/v1/messages/preferences', { email, locale: 'en' })),
    );
    expect(answers.map((a) => [a.status, (a.body as { code: number }).code])).toEqual(
      emails.map(() => [200, 200]),
    );
    const saved = ok<{ email: string; locale: string }>(
      await session.http.get('/api/v1/messages/preferences'),
    );
    expect(saved.locale).toBe('en');
    expect(emails).toContain(saved.email);
  });

  it('a notification without a template of its channel reads in the member’s language alone', async () => {
    const staff = await createStaff(admin.http, { account: 'english_reader' });
    const session = await loginAs(stack.http, staff.account, staff.password);
    ok(await session.http.put('/api/v1/messages/preferences', { locale: 'en' }));
    const a = await start(admin.http, { definitionKey: 'contractReview', variables: { handler: staff.id } });
    const row = await until(
      async () =>
        ok<{ rows: { instanceId: string; title: string }[] }>(
          await session.http.get('/api/v1/inbox'),
        ).rows.find((r) => r.instanceId === a.id),
      10_000,
      'inbox row',
    );
    expect(row.title).toBe('New task: 合同评审: **合同审批');
  });
});

/** The text of a MIME message (nodemailer sends UTF-8 text as quoted-printable or base64). */
function decodeMail(raw: string): string {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/content-transfer-encoding:\s*base64/i.test(head))
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/content-transfer-encoding:\s*quoted-printable/i.test(head))
    return Buffer.from(
      body
        .replace(/=\r?\n/g, '')
        .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8');
  return body;
}

describe('attachments on work orders and CRM records', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    stack = await startStack({
      label: 'attachments',
      gatewayEnv: {
        UPLOAD_LIMIT_BYTES: '65536',
        ATTACHMENTS_DIR: join(tmpdir(), `flowdesk-att-${process.pid}`),
      },
    });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, PROCESS);
  }, 90_000);
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await stack?.stop();
  });

  const upload = (s: TestSession, path: string, name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${stack.http.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.accessToken}` },
      body: form,
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as {
        code: number;
        data: Attachment;
        errors?: { field: string; reason: string }[];
      },
    }));
  };
  interface Attachment {
    id: string;
    fileName: string;
    contentType: string;
    size: number;
    sha256: string;
    url: string;
  }
  const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(3000, 0x20), Buffer.from('\n%%EOF\n')]);

  it('upload, list and download on a work order; another department gets 404; oversize and disguised files get 4101', async () => {
    const sales = await createDepartment(admin.http, '销售部');
    const tech = await createDepartment(admin.http, '技术部');
    const ownerStaff = await createStaff(admin.http, { account: 'att_owner', departmentId: sales });
    const strangerStaff = await createStaff(admin.http, { account: 'att_stranger', departmentId: tech });
    const owner = await loginAs(stack.http, ownerStaff.account, ownerStaff.password);
    const stranger = await loginAs(stack.http, strangerStaff.account, strangerStaff.password);
    const order = ok<{ id: string }>(
      await owner.http.post('/api/v1/work-orders', {
        title: '合同附件',
        systemId: 'crm',
        definitionKey: 'contractReview',
        draft: true,
      }),
    );
    const path = `/api/v1/work-orders/${order.id}/attachments`;

    const up = await upload(owner, path, '合同 第1版.pdf', PDF);
    expect(up.status).toBe(200);
    expect(up.body.data).toMatchObject({
      fileName: '合同 第1版.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
    });
    expect(up.body.data.sha256).toBe(createHash('sha256').update(PDF).digest('hex'));
    const list = ok<Attachment[]>(await owner.http.get(path));
    expect(list.map((a) => a.id)).toEqual([up.body.data.id]);

    const download = await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
      headers: { authorization: `Bearer ${owner.accessToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="__ _1_.pdf"; filename*=UTF-8''${encodeURIComponent('合同 第1版.pdf')}`,
    );
    expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);

    // another department's member: the work order, its list, its file and an upload to it are all 404
    expect((await stranger.http.get(`/api/v1/work-orders/${order.id}`)).status).toBe(404);
    expect((await stranger.http.get(path)).status).toBe(404);
    expect(
      (
        await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
          headers: { authorization: `Bearer ${stranger.accessToken}` },
        })
      ).status,
    ).toBe(404);
    expect((await upload(stranger, path, 'x.pdf', PDF)).status).toBe(404);
    expect((await stranger.http.delete(`/api/v1/attachments/${up.body.data.id}`)).status).toBe(404);

    // oversize, disguised, not allowed
    const big = await upload(owner, path, 'big.pdf', Buffer.concat([PDF, Buffer.alloc(70_000, 0x20)]));
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ code: 4101, errors: [{ field: 'file' }] });
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(500)]);
    const disguised = await upload(owner, path, 'invoice.pdf', exe);
    expect(disguised.body).toMatchObject({
      code: 4101,
      errors: [{ field: 'file', reason: 'the content is not an allowed type, not .pdf' }],
    });
    expect((await upload(owner, path, 'tool.exe', exe)).body).toMatchObject({ code: 4101 });
    expect(ok<Attachment[]>(await owner.http.get(path))).toHaveLength(1);

    // the uploader removes it; then it is gone for everyone
    ok(await owner.http.delete(`/api/v1/attachments/${up.body.data.id}`));
    expect(
      (
        await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
          headers: { authorization: `Bearer ${owner.accessToken}` },
        })
      ).status,
    ).toBe(404);
    expect(ok<Attachment[]>(await owner.http.get(path))).toEqual([]);
  });

  it('a file name keeps no bidirectional overrides or C1 controls: "invoice\u202Efdp.txt" cannot show as a PDF', async () => {
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', { realName: '附件名称', phone: '13900006666' }),
    );
    const path = `/api/v1/crm/customers/${customer.id}/attachments`;
    // U+202E shows the rest reversed ("invoicetxt.pdf"); U+2066..U+2069 and U+200E/F steer direction too
    const up = await upload(admin, path, 'invoice\u202Efdp\u2066\u200F\u0085.txt', Buffer.from('hello'));
    expect([up.status, up.body.data?.fileName]).toEqual([200, 'invoicefdp.txt']);
    const download = await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="invoicefdp.txt"; filename*=UTF-8''invoicefdp.txt`,
    );
  });

  it('a record holds at most 100 files, also when they arrive at the same moment', async () => {
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', { realName: '附件上限', phone: '13900005555' }),
    );
    const path = `/api/v1/crm/customers/${customer.id}/attachments`;
    for (let i = 0; i < 90; i += 10)
      await Promise.all(
        Array.from({ length: 10 }, (_, j) => upload(admin, path, `f${i + j}.txt`, Buffer.from('x'))),
      );
    // 40 at once for the last 10 places: each had counted fewer than 100 and stored its file (106 kept)
    const last = await Promise.all(
      Array.from({ length: 40 }, (_, i) => upload(admin, path, `last${i}.txt`, Buffer.from('x'))),
    );
    expect(last.filter((a) => a.status === 200)).toHaveLength(10);
    expect(last.filter((a) => a.status !== 200).map((a) => a.body)).toEqual(
      Array.from({ length: 30 }, () =>
        expect.objectContaining({
          code: 4101,
          errors: [{ field: 'file', reason: 'a record holds at most 100 files' }],
        }),
      ),
    );
    expect(ok<Attachment[]>(await admin.http.get(path))).toHaveLength(100);
  });

  it('a file under another field name (4000 before) or a multipart body cut short (500 before) is 4101 naming the field', async () => {
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', { realName: '附件字段', phone: '13900007777' }),
    );
    const path = `/api/v1/crm/customers/${customer.id}/attachments`;
    const send = async (body: FormData | string, contentType?: string) =>
      refusalOf(
        await admin.http.request('POST', path, {
          rawBody: body,
          headers: contentType ? { 'content-type': contentType } : {},
        }),
      );
    const otherField = new FormData();
    otherField.append('document', new Blob([PDF]), 'a.pdf');
    expect(await send(otherField)).toEqual([400, 4101, ['document']]);
    const broken = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF';
    expect(await send(broken, 'multipart/form-data; boundary=x')).toEqual([400, 4101, ['body']]);
    expect(ok<Attachment[]>(await admin.http.get(path))).toEqual([]);
  });

  it('a second file in one upload is 4101 on `file` and nothing is kept (it was dropped without a word); fields after the file and an unread body leave the connection usable', async () => {
    const order = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-orders', {
        title: '两份附件',
        systemId: 'crm',
        definitionKey: 'contractReview',
        draft: true,
      }),
    );
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', { realName: '两个文件', phone: '13900007778' }),
    );
    const TXT = Buffer.from('第二个文件\n');
    for (const path of [
      `/api/v1/work-orders/${order.id}/attachments`,
      `/api/v1/crm/customers/${customer.id}/attachments`,
    ]) {
      const send = (form: FormData) =>
        fetch(`${stack.http.baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin.accessToken}` },
          body: form,
        }).then(
          async (r) =>
            [r.status, (await r.json()) as { code: number; errors?: { field: string }[] }] as const,
        );
      const two = new FormData();
      two.append('file', new Blob([PDF]), 'a.pdf');
      two.append('file', new Blob([TXT]), 'b.txt');
      const [status, body] = await send(two);
      expect([status, body.code, body.errors?.map((e) => e.field)]).toEqual([400, 4101, ['file']]);
      // the second one under another name, after a text field: refused alike
      const other = new FormData();
      other.append('file', new Blob([TXT]), 'a.txt');
      other.append('note', '说明');
      other.append('file2', new Blob([PDF]), 'b.pdf');
      expect((await send(other))[1].code).toBe(4101);
      expect(ok<Attachment[]>(await admin.http.get(path))).toEqual([]);
      // one file followed by a text field is still one file
      const one = new FormData();
      one.append('file', new Blob([TXT]), 'one.txt');
      one.append('note', '说明');
      const [okStatus, okBody] = await send(one);
      expect([okStatus, okBody.code]).toEqual([200, 200]);
      expect(ok<Attachment[]>(await admin.http.get(path)).map((a) => a.fileName)).toEqual(['one.txt']);
    }
    // refused before the file is read (a record you cannot see), a large body is still drained: the
    // client gets its 404 and the next request works
    const big = new FormData();
    big.append('file', new Blob([PDF, Buffer.alloc(60_000, 0x20)]), 'big.pdf');
    big.append('file', new Blob([Buffer.alloc(200_000, 0x20)]), 'more.txt');
    const missing = await fetch(`${stack.http.baseUrl}/api/v1/work-orders/99999999/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin.accessToken}` },
      body: big,
    });
    expect(missing.status).toBe(404);
    expect((await admin.http.get(`/api/v1/work-orders/${order.id}/attachments`)).status).toBe(200);
  });

  it('a refused upload that keeps sending is read only up to the size limit, then answered with Connection: close and closed (it was drained to the request timeout); a small one keeps the connection', async () => {
    const MiB = 1024 * 1024;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL(`${stack.http.baseUrl}/api/v1/work-orders/99999999/attachments`);
    const head = '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n';
    /** Sends `head`, then `total` bytes of file (endless while the server reads, if Infinity), chunked. */
    const send = (total: number) =>
      sendUnreadBody(url, {
        agent,
        total,
        head,
        contentType: 'multipart/form-data; boundary=x',
        token: admin.accessToken,
      });
    const endless = await send(Infinity);
    expect([endless.status, endless.code, endless.connection, endless.closed]).toEqual([
      404,
      404,
      'close',
      true,
    ]);
    // read up to the limit (64 KiB here) plus what the sockets buffer, never the 64 MiB on offer
    expect(endless.sent).toBeLessThan(16 * MiB);
    // a small refused body is read to its end: the answer keeps the connection, the next request reuses it
    const small = await send(16 * 1024);
    expect([small.status, small.code, small.connection]).toEqual([404, 404, 'keep-alive']);
    const again = await send(16 * 1024);
    expect(again.socket).toBe(small.socket);
    agent.destroy();
  });

  it('task comments: files on a comment of an instance; visible with the instance only', async () => {
    const dept = await createDepartment(admin.http, '法务部');
    const other = await createDepartment(admin.http, '后勤部');
    const handlerStaff = await createStaff(admin.http, { account: 'att_handler', departmentId: dept });
    const outsiderStaff = await createStaff(admin.http, { account: 'att_outsider', departmentId: other });
    const handler = await loginAs(stack.http, handlerStaff.account, handlerStaff.password);
    const outsider = await loginAs(stack.http, outsiderStaff.account, outsiderStaff.password);
    const instance = await start(handler.http, {
      definitionKey: 'contractReview',
      variables: { handler: handlerStaff.id },
    });
    ok(await admin.http.post(`/api/v1/workflow/instances/${instance.id}/urge`, { comment: '请附上盖章版' }));
    const detail = ok<{ comments: { id: string; type: string }[] }>(
      await handler.http.get(`/api/v1/workflow/instances/${instance.id}`),
    );
    const comment = detail.comments.find((c) => c.type === 'urge')!;
    const path = `/api/v1/workflow/instances/${instance.id}/comments/${comment.id}/attachments`;
    const up = await upload(handler, path, '盖章版.pdf', PDF);
    expect(up.status).toBe(200);
    expect(ok<Attachment[]>(await handler.http.get(path)).map((a) => a.fileName)).toEqual(['盖章版.pdf']);
    expect((await outsider.http.get(path)).status).toBe(404);
    expect(
      (
        await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
          headers: { authorization: `Bearer ${outsider.accessToken}` },
        })
      ).status,
    ).toBe(404);
    // a comment id that is not on this instance is 404 too
    expect(
      (await handler.http.get(`/api/v1/workflow/instances/${instance.id}/comments/999999/attachments`))
        .status,
    ).toBe(404);
  });

  it('CRM customers: files follow the data scope; a soft-deleted customer shows none', async () => {
    const east = await createDepartment(admin.http, '华东区');
    const west = await createDepartment(admin.http, '华西区');
    const role = await createRole(admin.http, {
      code: 'crm_dept',
      permissions: ['crm:read', 'crm:write'],
      dataScope: 'department',
    });
    const a = await createStaff(admin.http, { account: 'crm_east', departmentId: east, roleIds: [role] });
    const b = await createStaff(admin.http, { account: 'crm_west', departmentId: west, roleIds: [role] });
    const eastSession = await loginAs(stack.http, a.account, a.password);
    const westSession = await loginAs(stack.http, b.account, b.password);
    const customer = ok<{ id: string }>(
      await eastSession.http.post('/api/v1/crm/customers', { realName: '赵六', stage: 1 }),
    );
    const path = `/api/v1/crm/customers/${customer.id}/attachments`;
    const up = await upload(eastSession, path, '名片.txt', Buffer.from('赵六 13812341234\n'));
    expect(up.status).toBe(200);
    expect(up.body.data.contentType).toBe('text/plain; charset=utf-8');
    expect((await westSession.http.get(path)).status).toBe(404);
    expect(
      (
        await fetch(`${stack.http.baseUrl}${up.body.data.url}`, {
          headers: { authorization: `Bearer ${westSession.accessToken}` },
        })
      ).status,
    ).toBe(404);
    ok(await eastSession.http.delete(`/api/v1/crm/customers/${customer.id}`));
    expect((await eastSession.http.get(path)).status).toBe(404);
  });
});
