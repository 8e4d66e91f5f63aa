import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import S3rver from 's3rver';
import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, ok, start, until } from '../workflow/workflow-helpers';

/** The message centre's settings cache (5 s by default): short, so a row written behind its back is seen soon. */
const SETTINGS_TTL_MS = 500;

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="st" targetNamespace="http://flowdesk.example/st">
  <process id="storageReview" name="归档审批" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="审批" camunda:assignee="\${handler}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

const BUCKET = 'flowdesk-files';
const MiB = 1024 * 1024;
const pdf = (bytes: number) =>
  Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(bytes - 16, 0x41), Buffer.from('\n%%EOF\n')]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Attachment {
  id: string;
  fileName: string;
  size: number;
  sha256: string;
  url: string;
}

/**
 * Attachments in S3-compatible storage, against a real local S3 peer (s3rver) started here, and the
 * retention rules: files leave the bucket when their record is deleted for good or its retention ends.
 */
describe('attachments in S3-compatible storage, purged with their record', () => {
  let stack: Stack;
  let admin: TestSession;
  let s3: S3Client;
  let s3rver: S3rver;
  const dataDir = mkdtempSync(join(tmpdir(), 'flowdesk-s3rver-'));

  beforeAll(async () => {
    s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dataDir,
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await s3rver.run();
    const endpoint = `http://127.0.0.1:${port}`;
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    stack = await startStack({
      label: 'attachment_storage',
      gatewayEnv: {
        ATTACHMENTS_STORAGE: 's3',
        S3_ENDPOINT: endpoint,
        S3_BUCKET: BUCKET,
        S3_REGION: 'us-east-1',
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        S3_FORCE_PATH_STYLE: 'true',
        S3_PREFIX: 'flowdesk/files/',
        UPLOAD_LIMIT_BYTES: String(12 * MiB),
        ATTACHMENT_RETENTION_DAYS: '30',
        ATTACHMENT_PURGE_POLL_MS: '200',
        WORKFLOW_EVENTS_POLL_MS: '100',
        MESSAGE_POLL_MS: '100',
      },
    });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, PROCESS);
  }, 90_000);

  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-6000));
    await stack?.stop();
    s3?.destroy();
    await s3rver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const objects = async () =>
    ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);
  const upload = (s: TestSession, path: string, name: string, bytes: Buffer) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    return fetch(`${stack.http.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.accessToken}` },
      body: form,
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { code: number; data: Attachment; errors?: { field: string }[] },
    }));
  };
  const download = (s: TestSession, url: string) =>
    fetch(`${stack.http.baseUrl}${url}`, { headers: { authorization: `Bearer ${s.accessToken}` } });
  const db = async <T>(work: (c: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  it('files stream into the bucket and back: one PutObject when small, a multipart upload when large; oversize and disguised files leave nothing', async () => {
    const order = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-orders', {
        title: '归档',
        systemId: 'crm',
        definitionKey: 'storageReview',
        draft: true,
      }),
    );
    const path = `/api/v1/work-orders/${order.id}/attachments`;
    const small = pdf(4000);
    const up = await upload(admin, path, '归档 清单.pdf', small);
    expect(up.status).toBe(200);
    expect(up.body.data).toMatchObject({ size: small.length, sha256: sha256(small) });
    const keys = await objects();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^flowdesk\/files\/\d{4}\/\d{2}\/[0-9a-f]{32}$/);
    // the bucket holds the bytes themselves; the name and type stay in the database
    const stored = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: keys[0] }));
    expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(small)).toBe(true);

    const got = await download(admin, up.body.data.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('归档 清单.pdf')}`,
    );
    expect(Buffer.from(await got.arrayBuffer()).equals(small)).toBe(true);

    // larger than one S3 part (5 MiB): sent as a multipart upload, read back whole
    const large = pdf(11 * MiB + 12345);
    const big = await upload(admin, path, 'scan.pdf', large);
    expect(big.status).toBe(200);
    expect(big.body.data).toMatchObject({ size: large.length, sha256: sha256(large) });
    const back = Buffer.from(await (await download(admin, big.body.data.url)).arrayBuffer());
    expect(back.length).toBe(large.length);
    expect(sha256(back)).toBe(sha256(large));
    expect(await objects()).toHaveLength(2);

    // over the limit after two parts were sent, and a disguised file: 4101, no object left behind
    const over = await upload(admin, path, 'too-big.pdf', pdf(13 * MiB));
    expect(over.status).toBe(400);
    expect(over.body).toMatchObject({ code: 4101, errors: [{ field: 'file' }] });
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00'), Buffer.alloc(20_000)]);
    expect((await upload(admin, path, 'invoice.pdf', exe)).body).toMatchObject({
      code: 4101,
      errors: [{ field: 'file' }],
    });
    expect(await objects()).toHaveLength(2);
    expect(ok<Attachment[]>(await admin.http.get(path))).toHaveLength(2);

    // removing a file takes it out of the bucket
    ok(await admin.http.delete(`/api/v1/attachments/${big.body.data.id}`));
    expect((await download(admin, big.body.data.url)).status).toBe(404);
    await until(async () => ((await objects()).length === 1 ? true : undefined), 5000, 'object removed');
  });

  it('an instance deleted for good takes the files on its comments out of storage', async () => {
    const instance = await start(admin.http, {
      definitionKey: 'storageReview',
      variables: { handler: admin.staffId },
    });
    ok(await admin.http.post(`/api/v1/workflow/instances/${instance.id}/urge`, { comment: '附件见此' }));
    const detail = ok<{ comments: { id: string; type: string }[] }>(
      await admin.http.get(`/api/v1/workflow/instances/${instance.id}`),
    );
    const comment = detail.comments.find((c) => c.type === 'urge')!;
    const path = `/api/v1/workflow/instances/${instance.id}/comments/${comment.id}/attachments`;
    const up = await upload(admin, path, '说明.txt', Buffer.from('删除流程时一并删除\n'));
    expect(up.status).toBe(200);
    const key = await db(
      async (c) =>
        (await c.query(`SELECT storage, storage_key FROM core.attachment WHERE id = $1`, [up.body.data.id]))
          .rows[0] as { storage: string; storage_key: string },
    );
    expect(key.storage).toBe('s3');
    expect(await objects()).toContain(`flowdesk/files/${key.storage_key}`);

    ok(await admin.http.post(`/api/v1/workflow/instances/${instance.id}/stop`, { comment: '作废' }));
    ok(await admin.http.delete(`/api/v1/workflow/instances/${instance.id}`));
    await until(
      async () => (!(await objects()).includes(`flowdesk/files/${key.storage_key}`) ? true : undefined),
      10_000,
      'purge from the bucket',
    );
    await until(
      async () =>
        db(async (c) =>
          (await c.query(`SELECT 1 FROM core.attachment WHERE id = $1`, [up.body.data.id])).rowCount === 0
            ? true
            : undefined,
        ),
      5000,
      'row purged',
    );
    expect((await download(admin, up.body.data.url)).status).toBe(404);
  });

  it('a soft-deleted customer hides its files (restore shows them); when its retention ends they leave storage', async () => {
    const customer = ok<{ id: string }>(
      await admin.http.post('/api/v1/crm/customers', { realName: '钱七', stage: 1 }),
    );
    const path = `/api/v1/crm/customers/${customer.id}/attachments`;
    const up = await upload(admin, path, '合同.pdf', pdf(2048));
    expect(up.status).toBe(200);
    const key = await db(
      async (c) =>
        (await c.query(`SELECT storage_key FROM core.attachment WHERE id = $1`, [up.body.data.id])).rows[0]
          .storage_key as string,
    );
    const objectKey = `flowdesk/files/${key}`;

    ok(await admin.http.delete(`/api/v1/crm/customers/${customer.id}`));
    expect((await admin.http.get(path)).status).toBe(404);
    expect((await download(admin, up.body.data.url)).status).toBe(404);
    // within the retention the bytes stay, and a restore brings the file back
    await new Promise((r) => setTimeout(r, 600));
    expect(await objects()).toContain(objectKey);
    ok(await admin.http.post(`/api/v1/crm/customers/${customer.id}/restore`, {}));
    expect(ok<Attachment[]>(await admin.http.get(path)).map((a) => a.id)).toEqual([up.body.data.id]);
    expect((await download(admin, up.body.data.url)).status).toBe(200);

    // deleted again, 31 days ago: ATTACHMENT_RETENTION_DAYS=30 has passed
    ok(await admin.http.delete(`/api/v1/crm/customers/${customer.id}`));
    await db((c) =>
      c.query(`UPDATE core.crm_customer SET deleted_at = now() - interval '31 days' WHERE id = $1`, [
        customer.id,
      ]),
    );
    await until(
      async () => (!(await objects()).includes(objectKey) ? true : undefined),
      10_000,
      'retention purge',
    );
    ok(await admin.http.post(`/api/v1/crm/customers/${customer.id}/restore`, {}));
    expect(ok<Attachment[]>(await admin.http.get(path))).toEqual([]);
  });
});

/** Robot and SMS URLs an administrator configures pass the webhook target check (private refused by default). */
describe('channel URLs under the outbound target rules', () => {
  let stack: Stack;
  let admin: TestSession;
  const hits: string[] = [];
  const robot: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end('{"errcode":0,"errmsg":"ok"}');
  });

  beforeAll(async () => {
    await new Promise<void>((r) => robot.listen(0, '127.0.0.1', r));
    stack = await startStack({
      label: 'channel_targets',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        MESSAGE_POLL_MS: '100',
        MESSAGE_MAX_ATTEMPTS: '1',
        MESSAGE_SETTINGS_TTL_MS: String(SETTINGS_TTL_MS),
      },
    });
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, PROCESS);
  }, 90_000);
  afterAll(async () => {
    await stack?.stop();
    robot.close();
  });

  it('refuses loopback, private and non-http robot and SMS URLs with 4101 naming the field; public ones are saved', async () => {
    const refused = [
      [
        'dingtalk',
        { webhook: 'http://127.0.0.1:8080/robot/send?access_token=t', secret: 'SEC1' },
        'config.webhook',
      ],
      [
        'dingtalk',
        { webhook: 'http://localhost/robot/send?access_token=t', secret: 'SEC1' },
        'config.webhook',
      ],
      ['wecom', { webhook: 'http://[::1]/cgi-bin/webhook/send?key=k' }, 'config.webhook'],
      ['wecom', { webhook: 'http://169.254.169.254/latest/meta-data' }, 'config.webhook'],
      ['wecom', { webhook: 'http://[::ffff:10.0.0.8]/send' }, 'config.webhook'],
      [
        'sms',
        {
          provider: 'aliyun',
          endpoint: 'http://10.1.2.3/',
          accessKeyId: 'a',
          accessKeySecret: 'b',
          signName: 'c',
          templateCode: 'd',
        },
        'config.endpoint',
      ],
    ] as const;
    for (const [channel, config, field] of refused) {
      const answer = await admin.http.put(`/api/v1/messages/channels/${channel}`, { enabled: true, config });
      expect({ channel, config, status: answer.status, body: answer.body }).toMatchObject({
        status: 400,
        body: { code: 4101, errors: [{ field }] },
      });
    }
    // a webhook subscription to the same address is refused the same way
    expect(
      (
        await admin.http.post('/api/v1/webhooks', {
          name: 'x',
          url: 'http://127.0.0.1:8080/hook',
          topics: ['task.created'],
        })
      ).body,
    ).toMatchObject({ code: 4101 });
    ok(
      await admin.http.put('/api/v1/messages/channels/wecom', {
        enabled: false,
        config: { webhook: 'https://8.8.8.8/cgi-bin/webhook/send?key=k' },
      }),
    );
  });

  it('a robot URL that points at a private address by the time of sending is not called; the send fails with the reason', async () => {
    // stored behind the check's back (e.g. saved while private targets were allowed)
    const client = new Client({ connectionString: stack.db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO core.message_channel_config (channel, enabled, config) VALUES ('dingtalk', true, $1)
         ON CONFLICT (channel) DO UPDATE SET enabled = true, config = EXCLUDED.config`,
        [
          {
            webhook: `http://127.0.0.1:${(robot.address() as AddressInfo).port}/robot/send?access_token=t`,
            secret: 'SEC1',
          },
        ],
      );
    } finally {
      await client.end();
    }
    ok(
      await admin.http.put('/api/v1/messages/preference-defaults', {
        choices: [{ eventType: 'task.created', channel: 'dingtalk', enabled: true }],
      }),
    );
    // the channel settings cache sees the new row once its TTL has passed, as another replica's change would
    await new Promise((r) => setTimeout(r, SETTINGS_TTL_MS + 200));
    const instance = await start(admin.http, {
      definitionKey: 'storageReview',
      variables: { handler: admin.staffId },
    });
    const failed = await until(
      async () =>
        ok<{ rows: { status: string; log: { error: string | null }[]; body: string }[] }>(
          await admin.http.get('/api/v1/messages/sends?channel=dingtalk&status=failed'),
        ).rows[0],
      15_000,
      'failed robot send',
    );
    expect(failed.log[0].error).toMatch(/target refused: private, loopback and link-local targets/);
    expect(hits).toEqual([]);
    expect(instance.id).toBeTruthy();
  });

  it('every message-centre and attachment route is in Swagger with its schemas', async () => {
    type Schema = {
      $ref?: string;
      type?: string;
      properties?: Record<string, Schema>;
      items?: Schema;
      allOf?: Schema[];
    };
    type Operation = {
      responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      requestBody?: { content: Record<string, { schema?: Schema }> };
    };
    const doc = (
      await stack.http.get<{
        paths: Record<string, Record<string, Operation>>;
        components: { schemas: Record<string, Schema> };
      }>('/docs-json')
    ).body;
    const resolve = (schema: Schema | undefined): Schema | undefined =>
      schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()!] : schema;
    const expected: [string, string][] = [
      ['get', '/api/v1/messages/event-types'],
      ['get', '/api/v1/messages/templates'],
      ['post', '/api/v1/messages/templates'],
      ['post', '/api/v1/messages/templates/preview'],
      ['patch', '/api/v1/messages/templates/{id}'],
      ['get', '/api/v1/messages/channels'],
      ['put', '/api/v1/messages/channels/{channel}'],
      ['put', '/api/v1/messages/sensitive-words'],
      ['post', '/api/v1/messages/sensitive-words/check'],
      ['get', '/api/v1/messages/preferences'],
      ['put', '/api/v1/messages/preferences'],
      ['put', '/api/v1/messages/preference-defaults'],
      ['get', '/api/v1/messages/sends'],
      ['get', '/api/v1/messages/sends/{id}'],
      ['post', '/api/v1/messages/sends/{id}/resend'],
      ['get', '/api/v1/events/stream'],
      ['post', '/api/v1/work-orders/{id}/attachments'],
      ['get', '/api/v1/work-orders/{id}/attachments'],
      ['post', '/api/v1/crm/customers/{id}/attachments'],
      ['post', '/api/v1/workflow/instances/{instanceId}/comments/{commentId}/attachments'],
      ['get', '/api/v1/attachments/{id}/content'],
      ['delete', '/api/v1/attachments/{id}'],
    ];
    for (const [method, path] of expected) {
      const op = doc.paths[path]?.[method];
      expect({ path, method, found: !!op }).toEqual({ path, method, found: true });
      const ok200 = Object.values(op.responses['200']?.content ?? {})[0]?.schema;
      expect({ path, method, response: !!resolve(ok200) }).toEqual({ path, method, response: true });
      if (op.requestBody) {
        const [type, body] = Object.entries(op.requestBody.content)[0];
        const schema = resolve(body.schema);
        expect({ path, type, properties: Object.keys(schema?.properties ?? {}).length > 0 }).toEqual({
          path,
          type,
          properties: true,
        });
      }
    }
    // the send record and the attachment have their fields described
    const send = doc.components.schemas.SendDto;
    expect(Object.keys(send.properties ?? {})).toEqual(
      expect.arrayContaining(['channel', 'status', 'attempts', 'log', 'messageId']),
    );
    expect(doc.paths['/api/v1/work-orders/{id}/attachments'].post.requestBody?.content).toHaveProperty(
      'multipart/form-data',
    );
  });
});
