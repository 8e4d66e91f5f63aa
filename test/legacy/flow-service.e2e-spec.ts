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

  beforeAll(async () => {
    stack = await startStack({ label: 'legacy_002', gatewayEnv: { WORKFLOW_EVENTS_POLL_MS: '100' } });
    admin = await loginAsAdmin(stack.http);
    ok(await admin.http.post('/api/v1/work-order-templates/ztbxx01/deploy', {}), 'deploy ztbxx01');
    const auditorRole = await createRole(admin.http, {
      code: 'flow_auditor',
      permissions: [],
      dataScope: 'own',
    });
    const r = await createStaff(admin.http, { account: 'limingTestUser' });
    const a = await createStaff(admin.http, { account: 'auditor002', roleIds: [auditorRole] });
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
});
