import {
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, ok } from '../workflow/workflow-helpers';

/** A JSON text nested `levels` deep, built as text (no recursion here either). */
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

/**
 * Bad input at the edge (issue 19): every hostile shape the fuzzing found is refused with 4101 naming
 * the field (or 404/4004 where the API says so), never a 5xx, on platform and legacy routes alike.
 */
describe('edge input hardening', () => {
  let stack: Stack;
  let admin: TestSession;
  let ann: TestSession;
  let service: Record<string, string>;
  let taskId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'edge_input' });
    admin = await loginAsAdmin(stack.http);
    const a = await createStaff(admin.http, { account: 'ann019' });
    ann = await loginAs(stack.http, a.account, a.password);
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    const started = ok<{ tasks: { id: string }[] }>(
      await admin.http.post('/api/v1/workflow/instances', {
        definitionKey: 'singleTask',
        variables: { pool: `user:${admin.staffId}` },
      }),
    );
    taskId = started.tasks[0].id;
    const app = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: 'kanban019',
        permissions: ['*'],
        dataScope: 'all',
      }),
    );
    service = { requestType: 'service', serverID: app.clientId, secretKey: app.secret };
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS)
      console.log(stack?.gateway.logs().slice(-6000), stack?.workflow.logs().slice(-6000));
    await stack?.stop();
  });

  /** Seed-004 routes (`/workflow/...`) need the app/service headers; the registered service sends them. */
  const callerFor = (path: string) =>
    path.startsWith('/workflow/') ? stack.http.withHeaders(service) : admin.http;
  const raw = (method: string, path: string, body: string) =>
    callerFor(path).request<EnvelopeBody>(method, path, {
      rawBody: body,
      headers: { 'content-type': 'application/json' },
    });

  it('refuses a body nested 3,000 levels deep, even inside an unknown field, on platform and legacy routes', async () => {
    const deep = `{"name":"x","junk":${deepJson(3000)}}`;
    for (const [method, path] of [
      ['POST', '/api/v1/crm/customers'],
      ['POST', '/api/v1/workflow/instances'],
      ['POST', `/api/v1/workflow/tasks/${taskId}/complete`],
      ['POST', '/api/v1/work-orders'],
      ['POST', '/workflow/task/complete'],
      ['POST', '/flow/urgent'],
    ]) {
      const res = await raw(method, path, deep);
      expect({ path, status: res.status }).toEqual({ path, status: res.status < 500 ? res.status : 'a 5xx' });
      expect(res.body.code).toBe(4101);
      expect(JSON.stringify(res.body)).toContain('junk.a.a');
    }
    // a body inside the limit still works
    const fine = await admin.http.post('/api/v1/workflow/ping', { echo: 'x' });
    expect(fine.status).toBeLessThan(500);
  });

  it('refuses NUL in body, query and path strings naming the field (PostgreSQL never sees it)', async () => {
    const body = await admin.http.post('/api/v1/crm/organizations', { name: 'a\u0000b' });
    expect(body.status).toBe(400);
    expect(body.body).toMatchObject({ code: 4101, errors: [{ field: 'name' }] });
    const query = await admin.http.get('/api/v1/crm/customers?keyword=a%00b');
    expect(query.body).toMatchObject({ code: 4101, errors: [{ field: 'keyword' }] });
    const path = await admin.http.get('/api/v1/forms/a%00b/versions');
    expect(path.status).toBe(400);
    expect(path.body.code).toBe(4101);
    const variables = await admin.http.post('/api/v1/workflow/instances', {
      definitionKey: 'singleTask',
      variables: { pool: `user:${admin.staffId}`, note: 'x\u0000' },
    });
    expect(variables.body).toMatchObject({ code: 4101, errors: [{ field: 'variables.note' }] });
  });

  it('refuses a lone UTF-16 surrogate naming the field, where validators threw (500) and pg would store U+FFFD', async () => {
    // the fuzz (seed 20261207) found it: @IsEmail reaches validator.js's encodeURI, which throws URIError
    const email = await admin.http.put('/api/v1/messages/preferences', { email: 'a\ud800@example.com' });
    expect(email.status).toBe(400);
    expect(email.body).toMatchObject({ code: 4101, errors: [{ field: 'email' }] });
    const name = await admin.http.post('/api/v1/crm/organizations', { name: 'x\udc00' });
    expect(name.body).toMatchObject({ code: 4101, errors: [{ field: 'name' }] });
    // a surrogate pair (an emoji) is well-formed text and is kept as sent
    const kept = await admin.http.post('/api/v1/crm/organizations', { name: '华信 😀' });
    expect(kept.body).toMatchObject({ code: 200, data: { name: '华信 😀' } });
  });

  it('refuses a number beyond a double naming the field, where free-form variables stored it as null', async () => {
    const json = { 'content-type': 'application/json' };
    const variables = await admin.http.request('POST', '/api/v1/workflow/instances', {
      rawBody: `{"definitionKey":"singleTask","variables":{"pool":"user:${admin.staffId}","amount":1e400}}`,
      headers: json,
    });
    expect(variables.status).toBe(400);
    expect(variables.body).toMatchObject({ code: 4101, errors: [{ field: 'variables.amount' }] });
    const legacy = await admin.http.request('POST', '/api/customer/list', {
      rawBody: '{"customerExeStatus":-1,"pageSize":-1e999}',
      headers: json,
    });
    expect(legacy.body).toMatchObject({ code: 1, msg: expect.stringContaining('pageSize') });
  });

  it('refuses path ids that are not positive integers within bigint (4101 naming the parameter)', async () => {
    for (const path of [
      '/api/v1/work-orders/abc',
      '/api/v1/work-orders/99999999999999999999',
      '/api/v1/workflow/tasks/-1',
      '/api/v1/workflow/instances/1.5',
      '/api/v1/staff/0',
    ]) {
      const res = await admin.http.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body).toMatchObject({ code: 4101, errors: [{ field: 'id' }] });
    }
    const legacy = await admin.http.get('/processDiagram/abc');
    expect(legacy.status).toBeLessThan(500);
    expect(JSON.stringify(legacy.body)).toMatch(/4101|processInstanceId/);
  });

  it('a path parameter over 100 characters is 4101 naming the path, on id and key routes alike (was 500)', async () => {
    const long = 'x'.repeat(101);
    for (const path of [
      `/api/v1/webhooks/${long}`,
      `/api/v1/messages/templates/${long}`,
      `/api/v1/data-models/${long}/records`,
    ]) {
      const res = await admin.http.get<EnvelopeBody>(path);
      expect([path, res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([
        path,
        400,
        4101,
        'path',
      ]);
    }
  });

  it('refuses numbers beyond bigint and objects where scalars belong', async () => {
    const big = await admin.http.post('/api/v1/work-orders', {
      title: 't',
      systemId: 's',
      definitionKey: 'singleTask',
      draft: true,
      typeId: '99999999999999999999',
    });
    expect(big.status).toBe(400);
    expect(big.body.code).toBe(4101);
    // whether or not a definition 1 exists: an object is refused, and so is sending both
    for (const body of [
      { definitionKey: { $ne: 1 } },
      { definitionId: { $ne: 1 } },
      { definitionId: '1', definitionKey: { $ne: 1 } },
      { definitionId: { $gt: 0 }, definitionKey: 'singleTask' },
      { definitionId: '1', definitionKey: 'singleTask' },
    ]) {
      const objectKey = await admin.http.post<EnvelopeBody<unknown>>('/api/v1/workflow/instances', body);
      expect([objectKey.status, objectKey.body.code]).toEqual([400, 4101]);
      const named = Object.entries(body).find(([, v]) => typeof v === 'object')?.[0] ?? 'definitionKey';
      expect(objectKey.body.errors?.map((e) => e.field)).toContain(named);
    }
    const huge = await admin.http.get(`/api/v1/workflow/tasks?pageNum=${'9'.repeat(30)}`);
    expect(huge.status).toBe(400);
    const list = await raw(
      'POST',
      '/api/v1/workflow/instances',
      JSON.stringify({ definitionKey: 'singleTask', variables: { list: new Array(5000).fill(1) } }),
    );
    expect(list.body).toMatchObject({ code: 4101, errors: [{ field: 'variables.list' }] });
  });

  it('integers are decimal digits or numbers: true, hex, exponents, padded or listed values are 4101 naming the field (found by the fuzz with seeds 9 and 20261210)', async () => {
    const fields = (res: { body: EnvelopeBody }) => [
      res.body.code,
      [...new Set((res.body.errors ?? []).map((e) => e.field))],
    ];
    for (const query of ['pageSize=0x10', 'pageNum=1e3', 'pageSize=%205', 'pageSize=%2B5', 'pageSize=true'])
      expect([query, fields(await admin.http.get(`/api/v1/crm/customers?${query}`))]).toEqual([
        query,
        [4101, [query.split('=')[0]]],
      ]);
    expect(fields(await admin.http.post('/api/v1/work-order-types', { name: 'n', sortOrder: true }))).toEqual(
      [4101, ['sortOrder']],
    );
    expect(
      fields(
        await admin.http.post('/api/v1/crm/calls', [
          {
            mobile: '13911112222',
            billSec: '0x10',
            callDate: '2026-12-01 10:00:00',
            empCode: 'E1',
            callStatus: true,
          },
        ]),
      ),
    ).toEqual([4101, ['[0].billSec', '[0].callStatus']]);
    // decimal digits as text still count, as query strings and seed clients send them
    expect((await admin.http.get('/api/v1/crm/customers?pageSize=05&pageNum=1')).body.code).toBe(200);
    expect(
      (await admin.http.post('/api/v1/work-order-types', { name: 'digits', sortOrder: '7' })).body,
    ).toMatchObject({ code: 200, data: { sortOrder: 7 } });
  });

  it('a time the calendar or clock does not have is 4101 naming the field, never read as another time or as none', async () => {
    const fields = (res: { body: EnvelopeBody }) => [res.body.code, res.body.errors?.map((e) => e.field)];
    // new Date() read 2026-02-30T10:00Z as 2 March; parseBusinessTime's null filtered by nothing or cleared the field
    for (const [path, field] of [
      ['/api/v1/workflow/instances?startedFrom=2026-02-30T10:00:00Z', 'startedFrom'],
      ['/api/v1/work-orders?createdFrom=2026-02-31T00:00:00%2B08:00', 'createdFrom'],
      ['/api/v1/audit-logs?from=2026-01-01%2025:00:00', 'from'],
      ['/api/v1/audit-logs?to=2026-01-01T10:00:00%2B99:00', 'to'],
      // @Type(() => Date) made `abc` an Invalid Date (a SQL error naming no field) and `1` the year 2001
      ['/api/v1/messages/sends?from=abc', 'from'],
      ['/api/v1/messages/sends?from=1', 'from'],
      ['/api/v1/messages/sends?to=2026-02-30', 'to'],
    ])
      expect([path, fields(await admin.http.get(path))]).toEqual([path, [4101, [field]]]);
    const staff = await createStaff(admin.http, { account: 'clock019' });
    const cleared = await admin.http.patch(`/api/v1/staff/${staff.id}`, { entryTime: '2026-01-01 24:30:00' });
    expect(fields(cleared)).toEqual([4101, ['entryTime']]);
    // real times still pass, in both forms
    for (const path of [
      '/api/v1/messages/sends?from=2026-01-01T00:00:00%2B08:00&to=2026-02-28',
      '/api/v1/audit-logs?from=2026-01-01%2023:59:59&to=2026-03-01T00:00:00Z',
      '/api/v1/workflow/instances?startedFrom=2026-02-28T10:00:00.123456Z',
    ])
      expect([path, (await admin.http.get(path)).body.code]).toEqual([path, 200]);
  });

  it('an array where a nested object belongs is 4101 naming it (ValidateNested walked into it: bounds dropped, topics ignored)', async () => {
    const refusal = (res: { status: number; body: EnvelopeBody }) => [
      res.status,
      res.body.code,
      res.body.errors?.map((e) => e.field),
    ];
    // `options: [{ max: 5 }]` was created as a number field without its maximum
    const model = await admin.http.post('/api/v1/data-models', {
      key: 'nested019',
      name: 'x',
      fields: [{ key: 'n', name: 'n', type: 'number', options: [{ max: 5 }] }],
    });
    expect(refusal(model)).toEqual([400, 4101, ['fields[0].options']]);
    // `topics: [[]]` locked nothing and answered 200 []
    const locked = await admin.http.post('/api/v1/workflow/external-tasks/fetch-and-lock', {
      workerId: 'w019',
      maxTasks: 1,
      topics: [{ topicName: 'a', lockDuration: 1000 }, []],
    });
    expect(refusal(locked)).toEqual([400, 4101, ['topics[1]']]);
    const choices = await ann.http.put('/api/v1/messages/preferences', { choices: [[]] });
    expect(refusal(choices)).toEqual([400, 4101, ['choices[0]']]);
  });

  it('the first saves of a channel at the same moment all succeed, one of them kept (save() raced into 409)', async () => {
    const hosts = Array.from({ length: 6 }, (_, i) => `smtp${i}.example.com`);
    const answers = await Promise.all(
      hosts.map((host) =>
        admin.http.put('/api/v1/messages/channels/email', {
          enabled: false,
          config: { host, port: 25, secure: false, from: 'Flowdesk <robot@example.com>' },
        }),
      ),
    );
    expect(answers.map((a) => [a.status, a.body.code])).toEqual(hosts.map(() => [200, 200]));
    const channels = ok<{ channel: string; config: { host?: string } }[]>(
      await admin.http.get('/api/v1/messages/channels'),
    );
    expect(hosts).toContain(channels.find((c) => c.channel === 'email')?.config.host);
  });

  it('PATCH a definition with {} is 4101, not 500', async () => {
    const def = ok<{ rows: { id: string }[] }>(
      await admin.http.get('/api/v1/workflow/definitions?key=singleTask'),
    );
    const res = await admin.http.patch(`/api/v1/workflow/definitions/${def.rows[0].id}`, {});
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(4101);
  });

  it('legacy adapters refuse what they would pass into workflow commands (4101 naming the field)', async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/workflow/task/return', { taskId, targetKey: 'a b' }, 'targetKey'],
      ['POST', '/workflow/task/complete', { taskId, targetKey: 'a b', comment: 'x' }, 'targetKey'],
      ['POST', '/workflow/task/complete', { taskId: 'abc' }, 'taskId'],
      ['POST', '/workflow/task/transfer', { taskId, userId: 'not an id' }, 'userId'],
      ['POST', '/workflow/task/complete', { taskId, copyUserIds: 'a b;c' }, 'copyUserIds'],
      ['POST', '/task/abc/complete', {}, 'taskId'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await callerFor(path).request<EnvelopeBody>(method, path, { body });
      expect({ path, field, status: res.status }).toEqual({
        path,
        field,
        status: res.status < 500 ? res.status : '5xx',
      });
      expect({ path, field, text: res.text }).toEqual({ path, field, text: expect.stringContaining(field) });
      expect(res.text).toMatch(/4101/);
    }
  });

  it('print of a missing or out-of-scope work order is 404 in the envelope', async () => {
    const missing = await admin.http.get('/api/v1/work-orders/987654321/print');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 404, data: null });
    const mine = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-orders', {
        title: 'p',
        systemId: 's',
        definitionKey: 'singleTask',
        draft: true,
      }),
    );
    const other = await ann.http.get(`/api/v1/work-orders/${mine.id}/print`);
    expect(other.status).toBe(404);
    const own = await admin.http.get(`/api/v1/work-orders/${mine.id}/print`);
    expect(own.status).toBe(200);
    expect(own.headers.get('content-type')).toMatch(/text\/html/);
  });

  it('a registered service acting as itself creates a work order and audits a seed-002 flow (no bigint cast error)', async () => {
    const created = await stack.http.post(
      '/api/v1/work-orders',
      { title: 'svc', systemId: 's', definitionKey: 'singleTask', draft: true },
      { headers: service },
    );
    expect({ status: created.status, body: created.body }).toMatchObject({
      status: 200,
      body: { code: 200 },
    });

    ok(await admin.http.post('/api/v1/work-order-templates/ztbxx01/deploy', {}), 'deploy ztbxx01');
    const draft = ok<{ id: string }>(
      await stack.http.post(
        '/api/v1/work-orders',
        {
          title: '采购',
          systemId: 'kanban',
          definitionKey: 'ztbxx01',
          draft: true,
          formData: { subject: '采购' },
        },
        { headers: service },
      ),
    );
    const launched = await stack.http.get<EnvelopeBody<{ flowRunningNumber: string }>>(
      `/flow/launch?flowCode=ztbxx01&dataId=${draft.id}`,
      { headers: service },
    );
    expect(launched.body).toMatchObject({ code: 200 });
    const audited = await stack.http.get(
      `/flow/onAudit?flowRunningNumber=${launched.body.data.flowRunningNumber}&nextNodeSeq=3`,
      { headers: service },
    );
    expect(audited.body).toMatchObject({ code: 200 });
  });

  it('multipart/form-data without a boundary is 4101 on body on every upload route (busboy threw: 500)', async () => {
    type Operation = { requestBody?: { content?: Record<string, unknown> } };
    const doc = await stack.http.get<{ paths: Record<string, Record<string, Operation>> }>('/docs-json');
    const uploads = Object.entries(doc.body.paths)
      .filter(([, ops]) => ops.post?.requestBody?.content?.['multipart/form-data'])
      .map(([path]) => path.replace(/\{[^}]+\}/g, '99999999'));
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    for (const path of uploads) {
      const res = await admin.http.request<EnvelopeBody & { errors?: { field: string }[] }>('POST', path, {
        rawBody:
          '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nhi\r\n--x--\r\n',
        headers: { 'content-type': 'multipart/form-data' },
      });
      expect([path, res.status, res.body.code, res.body.errors?.map((e) => e.field)]).toEqual([
        path,
        400,
        4101,
        ['body'],
      ]);
    }
  });

  it('a deployment text field past 64 KiB is 4101 naming it, not cut and read as malformed XML', async () => {
    const xml = fixtureXml('single-task.bpmn').replace('?>', `?><!--${' '.repeat(70 * 1024)}-->`);
    const form = new FormData();
    form.append('xml', xml);
    const res = await admin.http.request<EnvelopeBody & { errors?: { field: string; reason: string }[] }>(
      'POST',
      '/api/v1/workflow/deployments',
      { rawBody: form },
    );
    expect([res.status, res.body.code, res.body.errors]).toEqual([
      400,
      4101,
      [{ field: 'xml', reason: 'longer than 65536 bytes' }],
    ]);
  });

  it('an over-long token is 4004, like any invalid token', async () => {
    const res = await stack.http.get('/api/v1/workflow/tasks', { token: 'x'.repeat(10_000) });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe(4004);
  });

  it('plain-HTTP security headers: no HSTS, no upgrade-insecure-requests; Swagger UI titled, with filter and persisted authorization', async () => {
    const ui = await stack.http.get('/docs');
    expect(ui.status).toBe(200);
    expect(ui.headers.get('strict-transport-security')).toBeNull();
    expect(ui.headers.get('content-security-policy')).not.toMatch(/upgrade-insecure-requests/);
    expect(ui.text).toContain('<title>Flowdesk API</title>');
    const init = await stack.http.get('/docs/swagger-ui-init.js');
    expect(init.text).toMatch(/"filter": ?true/);
    expect(init.text).toMatch(/"persistAuthorization": ?true/);
  });
});
