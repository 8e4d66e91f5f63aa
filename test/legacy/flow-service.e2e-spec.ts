import { connect } from 'node:net';
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
import { ok, until } from '../workflow/workflow-helpers';
import { FakeDingTalk } from './fakes/dingtalk.fake';
import { FakeK3Cloud } from './fakes/k3cloud.fake';

interface Answer<T = Record<string, unknown>> {
  code: number;
  msg: string;
  data: T;
}
interface FlowRef {
  flowRunningNumber: string;
  processInstanceId: string;
}
interface Task {
  id: string;
  instanceId: string;
  elementId: string;
  assigneeId: string | null;
  status: string;
}
interface Notification {
  topic: string;
  instanceId: string | null;
  taskId: string | null;
}

const DEPARTMENTS = ['客服部', '技术部', '生产部', '采购部'];
const q = encodeURIComponent;

interface RawAnswer {
  status: number;
  body: Answer<FlowRef & { rows?: { number: string; title: string }[] }>;
}

/** The complete HTTP answers at the start of `bytes` (Content-Length framed), and how many bytes they took. */
function answersIn(bytes: Buffer): { answers: RawAnswer[]; used: number } {
  const answers: RawAnswer[] = [];
  let used = 0;
  for (;;) {
    const headEnd = bytes.indexOf('\r\n\r\n', used);
    if (headEnd < 0) return { answers, used };
    const head = bytes.subarray(used, headEnd).toString('latin1');
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (bytes.length < headEnd + 4 + length) return { answers, used };
    const body = bytes.subarray(headEnd + 4, headEnd + 4 + length).toString('utf8');
    answers.push({ status: Number(head.split(' ')[1]), body: JSON.parse(body) });
    used = headEnd + 4 + length;
  }
}

/**
 * Sends each request's packets as they are (curl sends the seed's URLs unencoded, `deptName=人力中心` as
 * UTF-8 bytes), 100 ms apart, on one connection, and like curl waits for each answer before the next
 * request; answers what came back until the server closed the connection.
 */
async function rawExchange(port: number, requests: string[][]): Promise<RawAnswer[]> {
  const socket = connect(port, '127.0.0.1');
  let received = Buffer.alloc(0);
  let closed = false;
  const arrived = () => answersIn(received).answers.length;
  socket.on('data', (chunk: Buffer) => (received = Buffer.concat([received, chunk])));
  const ended = new Promise<void>((resolve) => socket.on('close', () => ((closed = true), resolve())));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  for (const [i, packets] of requests.entries()) {
    for (const packet of packets) {
      socket.write(Buffer.from(packet, 'utf8'));
      await new Promise((r) => setTimeout(r, 100));
    }
    while (arrived() <= i && !closed) await new Promise((r) => setTimeout(r, 20));
  }
  await ended;
  return answersIn(received).answers;
}
/** The gateway trusts X-Forwarded-For (TRUST_PROXY); 10.20.0.0/16 is the configured trusted network. */
const FROM_TRUSTED = { 'x-forwarded-for': '10.20.3.4' };
const FROM_ELSEWHERE = { 'x-forwarded-for': '192.0.2.10' };
const TRUSTED_SERVICE = 'kanban-backend';

interface SyncRun {
  id: string;
  formId: string;
  table: string;
  mode: string;
  status: string;
  windowFrom: string;
  startedAt: string;
  finishedAt: string | null;
  rowsRead: number;
  rowsWritten: number;
  error: string | null;
  triggeredBy: string;
}

/** Seed 002 (流程服务) replayed as its document writes every URL; the platform API sees the same flows. */
describe('legacy 002: /flow/* and /message/taskNotify', () => {
  let stack: Stack;
  let admin: TestSession;
  let reporter: TestSession;
  let auditor: TestSession;
  const managers: TestSession[] = [];
  let generated: FlowRef;
  let supplied: FlowRef;

  /** A saved 看板 form (the seed's "录入表单数据的看板已保存"): a draft work order of flow ztbxx01. */
  const saveForm = async (who: TestSession, subject: string) =>
    ok<{ id: string }>(
      await who.http.post('/api/v1/work-orders', {
        title: subject,
        systemId: 'kanban',
        definitionKey: 'ztbxx01',
        draft: true,
        formData: { subject },
      }),
      'save form',
    ).id;

  const tasksOf = async (who: TestSession, scope: 'todo' | 'done', instanceId: string) =>
    ok<{ rows: Task[] }>(
      await who.http.get(`/api/v1/workflow/tasks?scope=${scope}&pageSize=200`),
      'tasks',
    ).rows.filter((t) => t.instanceId === instanceId);

  const k3 = new FakeK3Cloud();
  const dingtalk = new FakeDingTalk();

  beforeAll(async () => {
    await Promise.all([k3.start(), dingtalk.start()]);
    stack = await startStack({
      label: 'legacy_002',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        TRUST_PROXY: 'true',
        TRUSTED_NETWORKS: '10.20.0.0/16, fd00:20::/32',
        TRUSTED_NETWORK_SERVICE: TRUSTED_SERVICE,
        ERP_K3_URL: k3.url,
        ERP_K3_ACCT_ID: k3.account.acctid,
        ERP_K3_USERNAME: k3.account.username,
        ERP_K3_PASSWORD: k3.account.password,
        ERP_SYNC_PAGE_SIZE: '3',
        UPSTREAM_TIMEOUT_MS: '3000',
        DINGTALK_API_URL: dingtalk.url,
        DINGTALK_APP_KEY: dingtalk.app.key,
        DINGTALK_APP_SECRET: dingtalk.app.secret,
      },
    });
    admin = await loginAsAdmin(stack.http);
    ok(await admin.http.post('/api/v1/work-order-templates/ztbxx01/deploy', {}), 'deploy ztbxx01');
    const auditorRole = await createRole(admin.http, {
      code: 'flow_auditor',
      permissions: [],
      dataScope: 'own',
    });
    const r = await createStaff(admin.http, { account: 'limingTestUser' });
    const a = await createStaff(admin.http, { account: 'auditor002', roleIds: [auditorRole] });
    ok(await admin.http.patch(`/api/v1/staff/${r.id}`, { employeeNo: 'RS001' }), 'employee number');
    reporter = await loginAs(stack.http, r.account, r.password);
    auditor = await loginAs(stack.http, a.account, a.password);
    for (const [i, name] of DEPARTMENTS.entries()) {
      const m = await createStaff(admin.http, { account: `mgr002_${i}` });
      const d = await createDepartment(admin.http, name);
      ok(await admin.http.patch(`/api/v1/departments/${d}`, { managerId: m.id }), 'manager');
      managers.push(await loginAs(stack.http, m.account, m.password));
    }
  }, 120_000);
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.gateway.logs().slice(-5000));
    await stack?.stop();
    await Promise.all([k3.stop(), dingtalk.stop()]);
  });

  it('S002-01 GET /flow/launch with the example query (empty flowRunningNumber) generates {flowCode}_{yyyyMM}_{seq}; the platform lists the instance', async () => {
    const dataId = await saveForm(reporter, '采购申请');
    const res = await reporter.http.get<Answer<FlowRef>>(
      `/flow/launch?flowRunningNumber=&flowCode=ztbxx01&dataId=${dataId}&userName=limingTestUser&userCode=RS001&deptName=${q('人力中心')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(200);
    expect(typeof res.body.msg).toBe('string');
    expect(Object.keys(res.body.data).sort()).toEqual(['flowRunningNumber', 'processInstanceId']);
    expect(res.body.data.flowRunningNumber).toMatch(/^ztbxx01_\d{6}_0001$/);
    expect(res.body.data.processInstanceId).toMatch(/^\d+$/);
    generated = res.body.data;

    const platform = ok<{ rows: { id: string; serialNo: string; status: string }[] }>(
      await reporter.http.get('/api/v1/workflow/instances?scope=started'),
    );
    expect(platform.rows.find((i) => i.id === generated.processInstanceId)).toMatchObject({
      serialNo: generated.flowRunningNumber,
      status: 'running',
    });
    // Launching the same saved data again is a conflict, answered in the body with HTTP 200.
    const again = await reporter.http.get<Answer>(`/flow/launch?flowCode=ztbxx01&dataId=${dataId}`);
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(4090);
    expect(Object.keys(again.body).sort()).toEqual(['code', 'msg']);
  });

  it('S002-02 POST /flow/launch (form body) with the example flowRunningNumber ztbxx_abc001 keeps it; a duplicate is 4090', async () => {
    const dataId = await saveForm(reporter, '报销');
    const form = new URLSearchParams({
      flowRunningNumber: 'ztbxx_abc001',
      flowCode: 'ztbxx01',
      dataId,
      userName: 'limingTestUser',
      userCode: 'RS001',
      deptName: '人力中心',
    }).toString();
    const res = await reporter.http.request<Answer<FlowRef>>('POST', '/flow/launch', {
      rawBody: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, data: { flowRunningNumber: 'ztbxx_abc001' } });
    supplied = res.body.data;
    const work = ok<{ rows: { number: string; instanceId: string }[] }>(
      await reporter.http.get('/api/v1/work-orders?keyword=ztbxx_abc001'),
    );
    expect(work.rows).toEqual([
      expect.objectContaining({ number: 'ztbxx_abc001', instanceId: supplied.processInstanceId }),
    ]);

    const other = await saveForm(reporter, '重复');
    const dup = await reporter.http.post<Answer>('/flow/launch', {
      flowRunningNumber: 'ztbxx_abc001',
      flowCode: 'ztbxx01',
      dataId: other,
    });
    expect(dup.status).toBe(200);
    expect(dup.body.code).toBe(4090);
  });

  it('S002-01 and S002-02 sent as the document writes the URL, Chinese unencoded (curl): served as if percent-encoded, on the same connection too', async () => {
    const port = Number(new URL(stack.http.baseUrl).port);
    const auth = `Authorization: Bearer ${reporter.accessToken}\r\nHost: flow.example\r\n`;
    const byGet = await saveForm(reporter, '原样查询发起');
    const byPost = await saveForm(reporter, '原样表单发起');
    const form = `dataId=${byPost}`;
    const answers = await rawExchange(port, [
      [
        `GET /flow/launch?flowRunningNumber=&flowCode=ztbxx01&dataId=${byGet}&userName=limingTestUser&userCode=RS001&deptName=人力中心 HTTP/1.1\r\n${auth}\r\n`,
      ],
      // the form body comes in a packet of its own, after the request line and headers
      [
        `POST /flow/launch?flowRunningNumber=&flowCode=ztbxx01&deptName=人力中心 HTTP/1.1\r\n${auth}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n`,
        form,
      ],
      // the bytes are read as UTF-8: the keyword finds the work order by its Chinese title
      [`GET /api/v1/work-orders?keyword=原样查询 HTTP/1.1\r\n${auth}Connection: close\r\n\r\n`],
    ]);
    expect(answers.map((a) => [a.status, a.body.code])).toEqual([
      [200, 200],
      [200, 200],
      [200, 200],
    ]);
    expect(answers[0].body.data.flowRunningNumber).toMatch(/^ztbxx01_\d{6}_\d{4}$/);
    expect(answers[1].body.data.flowRunningNumber).toMatch(/^ztbxx01_\d{6}_\d{4}$/);
    expect(answers[2].body.data.rows).toEqual([
      expect.objectContaining({ number: answers[0].body.data.flowRunningNumber, title: '原样查询发起' }),
    ]);

    // what cannot be read as a request is refused in the error envelope, naming what was wrong
    const [refused] = await rawExchange(port, [[`GET /flow/launch?a=\u0001 HTTP/1.1\r\n${auth}\r\n`]]);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 4101, errors: [expect.objectContaining({ field: 'path' })] });
  });

  it('bad input is the failure body naming the field, never a 500; no token is 4004 with HTTP 200', async () => {
    const missing = await reporter.http.get<Answer>('/flow/launch?flowCode=ztbxx01');
    expect(missing.status).toBe(200);
    expect(missing.body.code).toBe(4101);
    expect(missing.body.msg).toContain('dataId');
    const badSerial = await reporter.http.get<Answer>(`/flow/onAudit?flowRunningNumber=${q('a b/c')}`);
    expect(badSerial.body.code).toBe(4101);
    expect(badSerial.body.msg).toContain('flowRunningNumber');
    const noSerial = await reporter.http.post<Answer>('/flow/urgent', {});
    expect(noSerial.body.code).toBe(4101);
    expect(noSerial.body.msg).toContain('flowRunningNumber');
    const unknown = await reporter.http.get<Answer>('/flow/urgent?flowRunningNumber=ztbxx01_202108_0001');
    expect(unknown.body.code).toBe(404);
    const anonymous = await stack.http.get<Answer>(
      `/flow/urgent?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.code).toBe(4004);
  });

  it('S002-03/05 /flow/onAudit with the example query: the auditor’s task completes; the four department managers get the next tasks', async () => {
    const [open] = await tasksOf(auditor, 'todo', generated.processInstanceId);
    expect(open).toMatchObject({ elementId: 'audit' });

    const unknownDept = await auditor.http.get<Answer>(
      `/flow/onAudit?flowRunningNumber=${generated.flowRunningNumber}&nextNodeSeq=-1&taskDeptManager=${q('客服部,不存在部')}`,
    );
    expect(unknownDept.body.code).toBe(4101);
    expect(unknownDept.body.msg).toContain('taskDeptManager[1]');

    const res = await auditor.http.get<Answer<FlowRef>>(
      `/flow/onAudit?flowRunningNumber=${generated.flowRunningNumber}&nextNodeSeq=-1&taskDeptManager=${q(DEPARTMENTS.join(','))}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, data: generated });
    // Same data: the audit task is done in the platform task API, each manager holds a task.
    expect((await tasksOf(auditor, 'done', generated.processInstanceId)).map((t) => t.id)).toEqual([open.id]);
    for (const m of managers) {
      expect((await tasksOf(m, 'todo', generated.processInstanceId)).map((t) => t.elementId)).toEqual([
        'deptManagerAudit',
      ]);
    }
    // the auditor's client sends it again: nothing of theirs is open (4090), no manager's task is touched
    const again = await auditor.http.get<Answer>(
      `/flow/onAudit?flowRunningNumber=${generated.flowRunningNumber}&nextNodeSeq=-1`,
    );
    expect(again.status).toBe(200);
    expect(again.body.code).toBe(4090);
    for (const m of managers)
      expect(await tasksOf(m, 'todo', generated.processInstanceId)).toEqual([
        expect.objectContaining({ elementId: 'deptManagerAudit' }),
      ]);
  });

  it('S002-04 /flow/onAudit nextNodeSeq (1-based position of a user task, or a node id) jumps; out of range is 4101', async () => {
    const tooFar = await admin.http.get<Answer>(`/flow/onAudit?flowRunningNumber=ztbxx_abc001&nextNodeSeq=9`);
    expect(tooFar.body.code).toBe(4101);
    expect(tooFar.body.msg).toContain('nextNodeSeq');
    // audit(1), deptManagerAudit(2), archive(3) in document order
    const res = await admin.http.post<Answer<FlowRef>>('/flow/onAudit', {
      flowRunningNumber: 'ztbxx_abc001',
      nextNodeSeq: 3,
    });
    expect(res.body).toMatchObject({ code: 200, data: supplied });
    expect((await tasksOf(reporter, 'todo', supplied.processInstanceId)).map((t) => t.elementId)).toEqual([
      'archive',
    ]);
  });

  it('S002-08 /flow/urgent with the example query urges the current approvers (inbox); a second urge is 4090', async () => {
    const res = await reporter.http.get<Answer<FlowRef & { notified: string[]; nextAllowedAt: string }>>(
      `/flow/urgent?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, data: generated });
    expect(res.body.data.notified.length).toBe(4);
    for (const m of managers) {
      await until(
        async () => {
          const inbox = ok<{ rows: Notification[] }>(await m.http.get('/api/v1/inbox?topic=instance.urged'));
          return inbox.rows.find((n) => n.instanceId === generated.processInstanceId);
        },
        20_000,
        'urge in the inbox',
      );
    }
    const again = await reporter.http.get<Answer>(
      `/flow/urgent?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(again.body.code).toBe(4090);
  });

  it('S002-09 /message/taskNotify?taskNo= answers who holds the open tasks; notifications are not sent twice', async () => {
    const inboxOf = async (m: TestSession) =>
      ok<{ rows: Notification[] }>(await m.http.get('/api/v1/inbox?topic=task.created')).rows.filter(
        (n) => n.instanceId === generated.processInstanceId,
      );
    await until(
      async () => ((await inboxOf(managers[0])).length === 1 ? true : undefined),
      20_000,
      'task.created',
    );
    for (let i = 0; i < 2; i += 1) {
      const res = await reporter.http.get<
        Answer<{ taskNo: string; tasks: { taskId: string; notified: string[] }[] }>
      >(`/message/taskNotify?taskNo=${generated.flowRunningNumber}`);
      expect(res.status).toBe(200);
      expect(res.body.code).toBe(200);
      expect(res.body.data.taskNo).toBe(generated.flowRunningNumber);
      expect(
        res.body.data.tasks
          .map((t) => t.notified)
          .flat()
          .sort(),
      ).toEqual(managers.map((m) => `user:${m.staffId}`).sort());
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(await inboxOf(managers[0])).toHaveLength(1);
    // The document's example number names nothing here.
    const example = await reporter.http.get<Answer>('/message/taskNotify?taskNo=RW202107280');
    expect(example.status).toBe(200);
    expect(example.body.code).toBe(404);
  });

  it('S002-07 /flow/discard: a manager who is neither initiator nor admin is refused; the example (userName=admin) by the initiator discards', async () => {
    const denied = await managers[0].http.get<Answer>(
      `/flow/discard?flowRunningNumber=${generated.flowRunningNumber}&userName=admin`,
    );
    expect(denied.status).toBe(200);
    expect(denied.body.code).toBe(4001);
    const res = await reporter.http.get<Answer<FlowRef & { status: string }>>(
      `/flow/discard?flowRunningNumber=${generated.flowRunningNumber}&userName=admin`,
    );
    expect(res.body).toMatchObject({ code: 200, data: { ...generated, status: 'discarded' } });
    const platform = ok<{ status: string }>(
      await reporter.http.get(`/api/v1/workflow/instances/${generated.processInstanceId}`),
    );
    expect(platform.status).toBe('discarded');
    const twice = await reporter.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(twice.body.code).toBe(4090);
  });

  it('S002-06 /flow/relaunch with the example query starts a new run of the discarded flow; later calls follow the new run', async () => {
    const running = await reporter.http.get<Answer>('/flow/relaunch?flowRunningNumber=ztbxx_abc001');
    expect(running.body.code).toBe(4090); // only rejected or discarded runs
    const res = await reporter.http.get<Answer<FlowRef>>(
      `/flow/relaunch?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.code).toBe(200);
    expect(res.body.data.flowRunningNumber).toBe(generated.flowRunningNumber);
    expect(res.body.data.processInstanceId).not.toBe(generated.processInstanceId);
    const relaunched = ok<{ status: string; relaunchedFromId: string }>(
      await reporter.http.get(`/api/v1/workflow/instances/${res.body.data.processInstanceId}`),
    );
    expect(relaunched).toMatchObject({ status: 'running', relaunchedFromId: generated.processInstanceId });
    const urged = await reporter.http.get<Answer<FlowRef>>(
      `/flow/urgent?flowRunningNumber=${generated.flowRunningNumber}`,
    );
    expect(urged.body).toMatchObject({
      code: 200,
      data: { processInstanceId: res.body.data.processInstanceId },
    });
  });

  it('A-45 a back-end service calls with the seed-004 service headers', async () => {
    const app = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: 'kanban',
        permissions: ['*'],
        dataScope: 'all',
      }),
    );
    const headers = { requestType: 'service', serverID: app.clientId, secretKey: app.secret };
    const res = await stack.http.get<Answer<FlowRef>>(`/flow/urgent?flowRunningNumber=ztbxx_abc001`, {
      headers,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, data: supplied });
    const wrong = await stack.http.get<Answer>(`/flow/urgent?flowRunningNumber=ztbxx_abc001`, {
      headers: { ...headers, secretKey: 'nope' },
    });
    expect(wrong.body.code).toBe(4001);
  });

  it('A-76 uncredentialed callers: 4004 unless from a trusted network with the configured service registered; only seed-002 routes trust', async () => {
    const path = '/flow/urgent?flowRunningNumber=ztbxx_abc001';
    // Trusted network configured, service not registered yet: nobody is trusted.
    expect((await stack.http.get<Answer>(path, { headers: FROM_TRUSTED })).body.code).toBe(4004);
    ok(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        clientId: TRUSTED_SERVICE,
        name: '看板后台',
        permissions: ['flow:act-for-users', 'erp:sync', 'dingtalk:read'],
        dataScope: 'all',
      }),
      'register the trusted service',
    );
    const elsewhere = await stack.http.get<Answer>(path, { headers: FROM_ELSEWHERE });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body.code).toBe(4004);
    expect((await stack.http.get<Answer>(path)).body.code).toBe(4004); // the proxy itself (127.0.0.1)
    const platform = await stack.http.get<Answer>('/api/v1/work-orders', { headers: FROM_TRUSTED });
    expect(platform.status).toBe(401);
    // From the trusted network without names the service reads as itself …
    const notify = await stack.http.get<Answer<{ taskNo: string }>>(
      '/message/taskNotify?taskNo=ztbxx_abc001',
      {
        headers: FROM_TRUSTED,
      },
    );
    expect(notify.body).toMatchObject({ code: 200, data: { taskNo: 'ztbxx_abc001' } });
    // … and urges for the flow's initiator (the document names nobody, A-87): the initiator may urge,
    // but this run was urged a moment ago (A-45 test), so the interval refuses it
    const urged = await stack.http.get<Answer>(path, { headers: FROM_TRUSTED });
    expect(urged.body.code).toBe(4090);
    expect(urged.body.msg).not.toContain('flow:act-for-users');
  });

  it('A-76 S002-01/S002-07 from the trusted network: userName/userCode make that person the initiator; discard follows the named person’s rights', async () => {
    const dataId = await saveForm(reporter, '可信网络发起');
    const res = await stack.http.get<Answer<FlowRef>>(
      `/flow/launch?flowRunningNumber=&flowCode=ztbxx01&dataId=${dataId}&userName=limingTestUser&userCode=RS001&deptName=${q('人力中心')}`,
      { headers: FROM_TRUSTED },
    );
    expect(res.body.code).toBe(200);
    expect(res.body.data.flowRunningNumber).toMatch(/^ztbxx01_\d{6}_\d{4}$/);
    const started = ok<{ rows: { id: string }[] }>(
      await reporter.http.get('/api/v1/workflow/instances?scope=started&pageSize=200'),
    );
    expect(started.rows.map((r) => r.id)).toContain(res.body.data.processInstanceId);

    const serial = res.body.data.flowRunningNumber;
    const mismatch = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${serial}&userName=auditor002&userCode=RS001`,
      { headers: FROM_TRUSTED },
    );
    expect(mismatch.body.code).toBe(4101);
    expect(mismatch.body.msg).toContain('userCode');
    const nobody = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${serial}&userName=nobody_here`,
      {
        headers: FROM_TRUSTED,
      },
    );
    expect(nobody.body.code).toBe(4200);
    expect(nobody.body.msg).toContain('userName');
    // The named person's rights decide, not the service's: a manager does not even see this flow (404);
    // the auditor sees it (an open task) but is neither initiator nor super admin (4001).
    const unseen = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${serial}&userName=mgr002_0`,
      {
        headers: FROM_TRUSTED,
      },
    );
    expect(unseen.body.code).toBe(404);
    const denied = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${serial}&userName=auditor002`,
      {
        headers: FROM_TRUSTED,
      },
    );
    expect(denied.body.code).toBe(4001);
    const discarded = await stack.http.get<Answer<FlowRef & { status: string }>>(
      `/flow/discard?flowRunningNumber=${serial}&userName=admin`,
      { headers: FROM_TRUSTED },
    );
    expect(discarded.body).toMatchObject({
      code: 200,
      data: { flowRunningNumber: serial, status: 'discarded' },
    });

    // A service without flow:act-for-users may not name anyone.
    const narrow = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: 'narrow',
        permissions: ['crm:read'],
      }),
    );
    const refused = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=ztbxx_abc001&userName=admin`,
      {
        headers: { requestType: 'service', serverID: narrow.clientId, secretKey: narrow.secret },
      },
    );
    expect(refused.body.code).toBe(4001);
    expect(refused.body.msg).toContain('flow:act-for-users');
  });

  it('A-76 the documented flow from the trusted network, no credentials: flowRunningNumber is the instance serial; four department managers audit concurrently and the flow goes on', async () => {
    const dataId = await saveForm(reporter, '四位经理审核');
    const serial = 'ztbxx01_202108_0001';
    const launch = await stack.http.get<Answer<FlowRef>>(
      `/flow/launch?flowRunningNumber=${serial}&flowCode=ztbxx01&dataId=${dataId}&userName=limingTestUser&userCode=RS001&deptName=${q('人力中心')}`,
      { headers: FROM_TRUSTED },
    );
    expect(launch.body).toMatchObject({ code: 200, data: { flowRunningNumber: serial } });
    const pid = launch.body.data.processInstanceId;
    const instance = ok<{ serialNo: string; initiatorId: string }>(
      await reporter.http.get(`/api/v1/workflow/instances/${pid}`),
    );
    expect(instance).toMatchObject({ serialNo: serial, initiatorId: reporter.staffId });

    // 流程审批, the document's example query as written: the audit task is offered to a group, so the
    // back end must say who approved (4101 naming userName, not a 500 or a silent no-op)
    const example = `/flow/onAudit?flowRunningNumber=${serial}&nextNodeSeq=-1&taskDeptManager=${q('客服部,技术部,生产部,采购部')}`;
    const unnamed = await stack.http.get<Answer>(example, { headers: FROM_TRUSTED });
    expect(unnamed.status).toBe(200);
    expect(unnamed.body.code).toBe(4101);
    expect(unnamed.body.msg).toContain('userName');
    // the same example with the auditor named
    const audited = await stack.http.get<Answer<FlowRef>>(
      `/flow/onAudit?flowRunningNumber=${serial}&nextNodeSeq=-1&taskDeptManager=${q('客服部,技术部,生产部,采购部')}&userName=auditor002`,
      { headers: FROM_TRUSTED },
    );
    expect(audited.body).toMatchObject({
      code: 200,
      data: { flowRunningNumber: serial, processInstanceId: pid },
    });
    // all four managers at once, each as themselves
    const answers = await Promise.all(
      ['mgr002_2', 'mgr002_0', 'mgr002_3', 'mgr002_1'].map((name) =>
        stack.http.get<Answer<FlowRef>>(`/flow/onAudit?flowRunningNumber=${serial}&userName=${name}`, {
          headers: FROM_TRUSTED,
        }),
      ),
    );
    expect(answers.map((a) => a.body.code)).toEqual([200, 200, 200, 200]);
    for (const m of managers)
      expect((await tasksOf(m, 'done', pid)).map((t) => t.elementId)).toEqual(['deptManagerAudit']);
    // the flow went on: the initiator archives. 催办流程 exactly as the document writes it (no name): the
    // trusted back end urges for the initiator
    expect((await tasksOf(reporter, 'todo', pid)).map((t) => t.elementId)).toEqual(['archive']);
    const urged = await stack.http.get<Answer<FlowRef & { notified: string[] }>>(
      `/flow/urgent?flowRunningNumber=${serial}`,
      { headers: FROM_TRUSTED },
    );
    expect(urged.body).toMatchObject({
      code: 200,
      data: { flowRunningNumber: serial, processInstanceId: pid },
    });
    expect(urged.body.data.notified).toEqual([`user:${reporter.staffId}`]);
    // one open task held by one person: the unnamed onAudit acts for that person (the initiator)
    const archived = await stack.http.get<Answer<FlowRef>>(`/flow/onAudit?flowRunningNumber=${serial}`, {
      headers: FROM_TRUSTED,
    });
    expect(archived.body).toMatchObject({ code: 200, data: { flowRunningNumber: serial } });
    const ended = ok<{ status: string }>(await reporter.http.get(`/api/v1/workflow/instances/${pid}`));
    expect(ended.status).toBe('completed');
  });

  it('A-76/A-87 废弃流程, 重新发起流程 and 任务通知 as the document writes them, from the trusted network without credentials', async () => {
    const dataId = await saveForm(reporter, '废弃后重新发起');
    const launch = await stack.http.get<Answer<FlowRef>>(
      `/flow/launch?flowRunningNumber=&flowCode=ztbxx01&dataId=${dataId}&userName=limingTestUser&userCode=RS001&deptName=${q('人力中心')}`,
      { headers: FROM_TRUSTED },
    );
    expect(launch.body.code).toBe(200);
    const serial = launch.body.data.flowRunningNumber;
    const first = launch.body.data.processInstanceId;
    const notify = await stack.http.get<Answer<{ taskNo: string; tasks: { name: string }[] }>>(
      `/message/taskNotify?taskNo=${serial}`,
      { headers: FROM_TRUSTED },
    );
    expect(notify.body).toMatchObject({ code: 200, data: { taskNo: serial, tasks: [{ name: '审核' }] } });
    // relaunch is refused while the run is running (not 500, not 4001: the initiator may relaunch later)
    const early = await stack.http.get<Answer>(`/flow/relaunch?flowRunningNumber=${serial}`, {
      headers: FROM_TRUSTED,
    });
    expect(early.body.code).toBe(4090);
    const discarded = await stack.http.get<Answer<FlowRef & { status: string }>>(
      `/flow/discard?flowRunningNumber=${serial}&userName=admin`,
      { headers: FROM_TRUSTED },
    );
    expect(discarded.body).toMatchObject({ code: 200, data: { status: 'discarded' } });
    const relaunched = await stack.http.get<Answer<FlowRef>>(`/flow/relaunch?flowRunningNumber=${serial}`, {
      headers: FROM_TRUSTED,
    });
    expect(relaunched.status).toBe(200);
    expect(relaunched.body.code).toBe(200);
    expect(relaunched.body.data.flowRunningNumber).toBe(serial);
    expect(relaunched.body.data.processInstanceId).not.toBe(first);
    const run = ok<{ status: string; initiatorId: string; relaunchedFromId: string }>(
      await reporter.http.get(`/api/v1/workflow/instances/${relaunched.body.data.processInstanceId}`),
    );
    // relaunched for the initiator, never as the service
    expect(run).toMatchObject({ status: 'running', initiatorId: reporter.staffId, relaunchedFromId: first });
    // a person named explicitly still acts with their own rights: the auditor may not relaunch
    const again = await stack.http.get<Answer>(
      `/flow/discard?flowRunningNumber=${serial}&userName=limingTestUser`,
      { headers: FROM_TRUSTED },
    );
    expect(again.body.code).toBe(200);
    const byAuditor = await stack.http.get<Answer>(
      `/flow/relaunch?flowRunningNumber=${serial}&userName=auditor002`,
      { headers: FROM_TRUSTED },
    );
    expect([4001, 404]).toContain(byAuditor.body.code);
  });

  describe('S002-10/11 ERP sync against a fake K/3 Cloud', () => {
    const day = (offsetDays: number) =>
      new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const table = 'erp."ERP_SAL_SaleOrder"';
    let db: Client;

    beforeAll(async () => {
      db = new Client({ connectionString: stack.db.url });
      await db.connect();
      k3.forms.set('SAL_SaleOrder', {
        name: '销售订单',
        primaryKey: 'FID',
        head: [
          { key: 'FID', name: '实体主键' },
          { key: 'FBillNo', name: '单据编号' },
          { key: 'FDate', name: '日期' },
          { key: 'FModifyDate', name: '修改日期' },
          { key: 'FCustId', name: '客户' },
          { key: 'F.Odd', name: '不是标识符' },
        ],
        entry: [
          { key: 'FMaterialId', name: '物料编码' },
          { key: 'FQty', name: '销售数量' },
        ],
        rows: [
          ...Array.from({ length: 7 }, (_, i) => ({
            FID: 100 + i,
            FBillNo: `XSDD00${i}`,
            FDate: day(-10 * i),
            FModifyDate: day(-10 * i),
            FCustId: `C${i}`,
          })),
          { FID: 200, FBillNo: 'XSDD200', FDate: day(-150), FModifyDate: day(-150), FCustId: 'C-old' },
          { FID: 300, FBillNo: 'XSDD300', FDate: day(-800), FModifyDate: day(-800), FCustId: 'C-ancient' },
        ],
      });
    });
    afterAll(() => db?.end());

    it('/dataSync/create?formId= (the example, empty) names the field; an unknown form is the ERP’s own message (5005, not 500)', async () => {
      const empty = await stack.http.get<Answer>('/dataSync/create?formId=', { headers: FROM_TRUSTED });
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ code: 4101, msg: expect.stringContaining('formId') });
      const unknown = await stack.http.get<Answer>('/dataSync/create?formId=BD_Nothing', {
        headers: FROM_TRUSTED,
      });
      expect(unknown.status).toBe(502);
      expect(unknown.body.code).toBe(5005);
      expect(unknown.body.msg).toContain('业务对象不存在');
      const missing = await stack.http.get<Answer>('/dataSync/update?formId=BD_Customer', {
        headers: FROM_TRUSTED,
      });
      expect(missing.body.code).toBe(4090);
      expect(missing.body.msg).toContain('ERP_BD_Customer');
    });

    it('/dataSync/create?formId=SAL_SaleOrder signs in, reads the metadata, pages by StartRow/Limit and recreates ERP_SAL_SaleOrder (main table, two years)', async () => {
      const res = await stack.http.get<Answer<SyncRun>>('/dataSync/create?formId=SAL_SaleOrder', {
        headers: FROM_TRUSTED,
      });
      expect(res.status).toBe(200);
      expect(res.body.code).toBe(200);
      expect(res.body.data).toMatchObject({
        formId: 'SAL_SaleOrder',
        table: 'ERP_SAL_SaleOrder',
        mode: 'create',
        status: 'succeeded',
        rowsRead: 8,
        rowsWritten: 8,
        triggeredBy: `service:${TRUSTED_SERVICE}`,
      });
      expect(res.body.data.error).toContain('F.Odd');
      expect(Date.parse(res.body.data.finishedAt!)).toBeGreaterThanOrEqual(
        Date.parse(res.body.data.startedAt),
      );
      expect(k3.logins).toBe(1);
      const login = k3.callsOf('AuthService.ValidateUser')[0].body;
      expect(login).toMatchObject({ ...k3.account });
      const pages = k3
        .callsOf('DynamicFormService.ExecuteBillQuery')
        .map((c) => c.body.data as Record<string, unknown>);
      expect(pages.map((p) => [p.StartRow, p.Limit])).toEqual([
        [0, 3],
        [3, 3],
        [6, 3],
      ]);
      expect(pages[0].FieldKeys).toBe('FID,FBillNo,FDate,FModifyDate,FCustId');
      const twoYears = new Date();
      twoYears.setUTCFullYear(twoYears.getUTCFullYear() - 2);
      expect(pages[0].FilterString).toBe(`FModifyDate>='${twoYears.toISOString().slice(0, 10)}'`);
      expect(k3.calls.every((c) => c.operation.startsWith('AuthService') || c.session !== null)).toBe(true);

      const columns = await db.query(
        `SELECT column_name FROM information_schema.columns WHERE table_schema = 'erp' AND table_name = 'ERP_SAL_SaleOrder' ORDER BY ordinal_position`,
      );
      expect(columns.rows.map((r: { column_name: string }) => r.column_name)).toEqual([
        'FID',
        'FBillNo',
        'FDate',
        'FModifyDate',
        'FCustId',
        'synced_at',
      ]);
      const rows = await db.query(`SELECT "FID", "FCustId" FROM ${table} ORDER BY "FID"::int`);
      expect(rows.rows.map((r: { FID: string }) => r.FID)).toEqual([
        '100',
        '101',
        '102',
        '103',
        '104',
        '105',
        '106',
        '200',
      ]);
    });

    it('/dataSync/update (form body) signs in again after a lost session and upserts the last two months into the extended table', async () => {
      await db.query(`ALTER TABLE ${table} ADD COLUMN "localNote" text`);
      await db.query(`UPDATE ${table} SET "localNote" = 'kept' WHERE "FID" = '100'`);
      const form = k3.forms.get('SAL_SaleOrder')!;
      form.rows.find((r) => r.FID === 100)!.FCustId = 'C0-changed';
      form.rows.find((r) => r.FID === 200)!.FCustId = 'C-old-changed'; // modified 150 days ago: outside the window
      form.rows.push({ FID: 107, FBillNo: 'XSDD007', FDate: day(0), FModifyDate: day(0), FCustId: 'C7' });
      k3.loseSessions();
      const before = k3.calls.length;

      const res = await stack.http.request<Answer<SyncRun>>('POST', '/dataSync/update', {
        rawBody: 'formId=SAL_SaleOrder',
        headers: { ...FROM_TRUSTED, 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(res.body.code).toBe(200);
      // 0, 10, … 60 days ago (7 rows, two months) plus the new one.
      expect(res.body.data).toMatchObject({
        mode: 'update',
        status: 'succeeded',
        rowsRead: 8,
        rowsWritten: 8,
      });
      expect(k3.logins).toBe(2);
      const replay = k3.calls.slice(before).map((c) => c.operation);
      expect(replay.slice(0, 3)).toEqual([
        'DynamicFormService.QueryBusinessInfo',
        'AuthService.ValidateUser',
        'DynamicFormService.QueryBusinessInfo',
      ]);
      const window = new Date();
      window.setUTCMonth(window.getUTCMonth() - 2);
      expect(res.body.data.windowFrom.slice(0, 10)).toBe(window.toISOString().slice(0, 10));

      const rows = await db.query(`SELECT "FID", "FCustId", "localNote" FROM ${table} ORDER BY "FID"::int`);
      const byId = Object.fromEntries(rows.rows.map((r: { FID: string }) => [r.FID, r]));
      expect(byId['100']).toMatchObject({ FCustId: 'C0-changed', localNote: 'kept' });
      expect(byId['200']).toMatchObject({ FCustId: 'C-old' });
      expect(byId['107']).toMatchObject({ FCustId: 'C7' });
    });

    it('a failing K/3 Cloud is 5005 naming the ERP (HTTP 502 on the legacy route too); the run is recorded failed and the table is untouched', async () => {
      k3.failure = 'down';
      const down = await stack.http.get<Answer>('/dataSync/update?formId=SAL_SaleOrder', {
        headers: FROM_TRUSTED,
      });
      expect(down.status).toBe(502);
      expect(down.body).toEqual({ code: 5005, msg: expect.stringContaining('ERP K/3 Cloud: HTTP 503') });
      k3.failure = 'refuse';
      const refused = await admin.http.post<Answer>('/api/v1/integrations/erp/syncs', {
        formId: 'SAL_SaleOrder',
        mode: 'create',
      });
      expect(refused.status).toBe(502);
      expect(refused.body.code).toBe(5005);
      expect(refused.body.msg).toContain('服务器繁忙');
      k3.failure = null;
      const count = await db.query(
        `SELECT count(*)::int AS n, count("localNote")::int AS notes FROM ${table}`,
      );
      expect(count.rows[0]).toEqual({ n: 9, notes: 1 }); // the failed create rolled back: the old table stands

      const runs = ok<{ total: number; rows: SyncRun[] }>(
        await admin.http.get('/api/v1/integrations/erp/syncs?formId=SAL_SaleOrder'),
      );
      expect(runs.rows.map((r) => [r.mode, r.status])).toEqual([
        ['create', 'failed'],
        ['update', 'failed'],
        ['update', 'succeeded'],
        ['create', 'succeeded'],
      ]);
      expect(runs.rows[0].error).toContain('服务器繁忙');
      expect(runs.rows.every((r) => r.finishedAt !== null)).toBe(true);
      const one = ok<SyncRun>(await admin.http.get(`/api/v1/integrations/erp/syncs/${runs.rows[3].id}`));
      expect(one).toMatchObject({ rowsRead: 8, status: 'succeeded' });
      expect((await admin.http.get<Answer>('/api/v1/integrations/erp/syncs/999999')).body.code).toBe(404);
      expect((await reporter.http.get<Answer>('/api/v1/integrations/erp/syncs')).body.code).toBe(4001);
      expect((await reporter.http.get<Answer>('/dataSync/update?formId=SAL_SaleOrder')).body.code).toBe(4001);
    });
  });

  describe('S002-12…14 DingTalk look-ups against a fake DingTalk', () => {
    const userId = '01131805470926241241';
    const many = Array.from({ length: 60 }, (_, i) => `u${String(i).padStart(3, '0')}`);

    beforeAll(() => {
      dingtalk.departments.push(
        { id: 1, name: '总公司', parentId: null },
        { id: 373884383, name: '人力中心', parentId: 1 },
        { id: 2, name: '技术部', parentId: 1 },
        { id: 3, name: '前端组', parentId: 2 },
      );
      for (let i = 0; i < 230; i += 1)
        dingtalk.users.push({ userid: `hr${i}`, name: `员工${i}`, deptId: 373884383, job_number: `RS${i}` });
      dingtalk.users.push({
        userid: userId,
        name: '李明',
        deptId: 2,
        mobile: '13800000000',
        title: '工程师',
      });
      for (let d = 10; d <= 23; d += 1)
        for (const checkType of ['OnDuty', 'OffDuty'] as const)
          dingtalk.records.push({
            userId,
            day: `2021-07-${d}`,
            checkType,
            timeResult: d === 12 ? 'Late' : 'Normal',
          });
      for (const id of many)
        for (const checkType of ['OnDuty', 'OffDuty'] as const)
          dingtalk.records.push({ userId: id, day: '2021-08-02', checkType, timeResult: 'Normal' });
    });

    it('/dingtalk/department/getTree?id=1 builds the tree by recursion over listsub', async () => {
      const res = await stack.http.get<Answer<Record<string, unknown>>>('/dingtalk/department/getTree?id=1', {
        headers: FROM_TRUSTED,
      });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        code: 200,
        msg: expect.any(String),
        data: {
          id: 1,
          name: '总公司',
          parentId: null,
          children: [
            { id: 373884383, name: '人力中心', parentId: 1, children: [] },
            {
              id: 2,
              name: '技术部',
              parentId: 1,
              children: [{ id: 3, name: '前端组', parentId: 2, children: [] }],
            },
          ],
        },
      });
      expect(dingtalk.callsTo('/topapi/v2/department/listsub').map((c) => c.body.dept_id)).toEqual([
        1, 373884383, 2, 3,
      ]);
      const bad = await stack.http.get<Answer>('/dingtalk/department/getTree?id=abc', {
        headers: FROM_TRUSTED,
      });
      expect(bad.body.code).toBe(4101);
      expect(bad.body.msg).toContain('id');
    });

    it('/dingtalk/user/getByDepartmentId?id=373884383 follows the cursor over every page', async () => {
      const res = await stack.http.get<Answer<{ userid: string; jobNumber: string; deptIdList: number[] }[]>>(
        '/dingtalk/user/getByDepartmentId?id=373884383',
        { headers: FROM_TRUSTED },
      );
      expect(res.body.code).toBe(200);
      expect(res.body.data).toHaveLength(230);
      expect(res.body.data[229]).toMatchObject({
        userid: 'hr229',
        jobNumber: 'RS229',
        deptIdList: [373884383],
      });
      expect(dingtalk.callsTo('/topapi/v2/user/list').map((c) => c.body.cursor)).toEqual([0, 100, 200]);
      const platform = ok<unknown[]>(
        await admin.http.get('/api/v1/integrations/dingtalk/departments/2/users'),
      );
      expect(platform).toEqual([
        expect.objectContaining({ userid: userId, name: '李明', mobile: '13800000000' }),
      ]);
    });

    it('/dingtalk/attendance/getByUserId (the example query) asks in 7-day spans; 60 users go as 50 + 10, paged while hasMore; the token is reused', async () => {
      const before = dingtalk.callsTo('/attendance/list').length;
      const res = await stack.http.get<Answer<{ userId: string; checkType: string; timeResult: string }[]>>(
        `/dingtalk/attendance/getByUserId?id=${userId}&startTime=2021-07-10`,
        { headers: FROM_TRUSTED },
      );
      expect(res.body.code).toBe(200);
      expect(res.body.data).toHaveLength(28);
      expect(res.body.data.filter((r) => r.timeResult === 'Late')).toHaveLength(2);
      const spans = dingtalk
        .callsTo('/attendance/list')
        .slice(before)
        .map((c) => c.body);
      expect(spans[0]).toMatchObject({
        workDateFrom: '2021-07-10 00:00:00',
        workDateTo: '2021-07-16 23:59:59',
        userIdList: [userId],
      });
      expect(spans[1]).toMatchObject({
        workDateFrom: '2021-07-17 00:00:00',
        workDateTo: '2021-07-23 23:59:59',
      });
      const explicit = await stack.http.get<Answer<unknown[]>>(
        `/dingtalk/attendance/getByUserId?id=${userId}&startTime=2021-07-10&endTime=2021-07-16`,
        { headers: FROM_TRUSTED },
      );
      expect(explicit.body.data).toHaveLength(14);
      const reversed = await stack.http.get<Answer>(
        `/dingtalk/attendance/getByUserId?id=${userId}&startTime=2021-07-10&endTime=2021-07-01`,
        { headers: FROM_TRUSTED },
      );
      expect(reversed.body.code).toBe(4101);
      expect(reversed.body.msg).toContain('endTime');

      const mark = dingtalk.callsTo('/attendance/list').length;
      const all = ok<unknown[]>(
        await admin.http.get(
          `/api/v1/integrations/dingtalk/attendance?userIds=${many.join(',')}&startTime=2021-08-02&endTime=2021-08-02`,
        ),
      );
      expect(all).toHaveLength(120);
      const calls = dingtalk
        .callsTo('/attendance/list')
        .slice(mark)
        .map((c) => c.body);
      expect(calls.map((c) => [(c.userIdList as string[]).length, c.offset, c.limit])).toEqual([
        [50, 0, 50],
        [50, 50, 50],
        [10, 0, 50],
      ]);
      expect(dingtalk.tokensIssued).toBe(1);
      dingtalk.expireTokens();
      ok(await admin.http.get('/api/v1/integrations/dingtalk/departments/3/tree'));
      expect(dingtalk.tokensIssued).toBe(2);
    });

    it('a DingTalk error is 5005 with DingTalk’s message (HTTP 502), on both surfaces', async () => {
      dingtalk.failWith = { errcode: 60011, errmsg: '没有调用该接口的权限' };
      try {
        const legacy = await stack.http.get<Answer>('/dingtalk/department/getTree?id=1', {
          headers: FROM_TRUSTED,
        });
        expect(legacy.status).toBe(502);
        expect(legacy.body).toEqual({ code: 5005, msg: expect.stringContaining('没有调用该接口的权限') });
        const platform = await admin.http.get<Answer>('/api/v1/integrations/dingtalk/departments/1/users');
        expect(platform.status).toBe(502);
        expect(platform.body.code).toBe(5005);
      } finally {
        dingtalk.failWith = null;
      }
      expect((await reporter.http.get<Answer>('/dingtalk/department/getTree?id=1')).body.code).toBe(4001);
    });
  });
});
