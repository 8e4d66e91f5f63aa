import {
  createDepartment,
  createStaff,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, ok, until } from '../workflow/workflow-helpers';

interface LegacyTable<T> {
  total: number;
  rows: T[];
  code: number;
  msg: string;
}
interface LegacyAnswer<T = { TaskId: string | null; ProcessInstanceId: string }> {
  code: number;
  msg: string;
  data: T;
}
type Row = Record<string, unknown>;

/** Seed 004's `/workflow/process/*` and `/workflow/task/*`, replayed as its documents write them. */
describe('legacy 004: /workflow/process/* and /workflow/task/*', () => {
  let stack: Stack;
  let admin: TestSession;
  let ann: TestSession;
  let bob: TestSession;
  let service: Record<string, string>;
  let front: { clientId: string; secret: string };
  /** A person through the registered front-end app, as the seed requires of every call (requestType=app …). */
  const seed = (who: TestSession) =>
    who.http.withHeaders({
      requestType: 'app',
      appID: front.clientId,
      secretKey: front.secret,
      accessToken: who.accessToken,
    });

  beforeAll(async () => {
    // request lines are logged (info) so the token redaction below is observable
    stack = await startStack({ label: 'legacy_004', gatewayEnv: { LOG_LEVEL: 'info' } });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const a = await createStaff(admin.http, { account: 'ann004', roleIds: [staff] });
    const b = await createStaff(admin.http, { account: 'bob004', roleIds: [staff] });
    ann = await loginAs(stack.http, a.account, a.password);
    bob = await loginAs(stack.http, b.account, b.password);
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    await deploy(admin.http, fixtureXml('leave-approval.flowable.bpmn'));
    const app = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: 'erp',
        permissions: ['*'],
        dataScope: 'all',
      }),
    );
    service = { requestType: 'service', serverID: app.clientId, secretKey: app.secret };
    front = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'app',
        name: '工单前端',
        clientId: '12345678',
        permissions: ['*'],
      }),
    );
  });
  afterAll(() => stack?.stop());

  it('GET /workflow/process/list with the service headers answers the TableDataInfo shape', async () => {
    const res = await stack.http.get<LegacyTable<Row>>('/workflow/process/list?pageNum=1&pageSize=10', {
      headers: service,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ code: 200, msg: '查询成功', total: 2 });
    expect(Object.keys(res.body.rows[0]).sort()).toEqual(
      [
        'definitionId',
        'processName',
        'processKey',
        'category',
        'version',
        'formId',
        'formName',
        'deploymentId',
        'suspended',
        'deploymentTime',
        'iconId',
      ].sort(),
    );
    expect(res.body.rows.map((r) => r.processKey).sort()).toEqual(['leaveApproval', 'singleTask']);
    expect(res.body.rows[0].deploymentTime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const filtered = await stack.http.get<LegacyTable<Row>>(
      '/workflow/process/list?pageNum=1&pageSize=10&processKey=singleTask',
      { headers: service },
    );
    expect(filtered.body.total).toBe(1);
  });

  it('the front-end app headers of the seed example (quoted values, bare token) act as the signed-in user', async () => {
    const app = front;
    const headers = {
      requestType: '"app"',
      appID: `"${app.clientId}"`,
      secretKey: app.secret,
      accessToken: ann.accessToken,
      Authorization: ann.accessToken,
    };
    const started = await stack.http.post<LegacyAnswer>(
      '/workflow/process/start/',
      { processDefId: 'singleTask', variables: { pool: 'role:staff' } },
      { headers },
    );
    expect(started.body).toMatchObject({ code: 200, msg: '流程启动成功' });
    const res = await stack.http.get<LegacyTable<Row>>('/workflow/process/ownList?pageNum=1&pageSize=10', {
      headers,
    });
    expect(res.body).toMatchObject({ code: 200, msg: '查询成功' });
    // the app acts as the signed-in user: ann sees the run as hers on the platform API too
    const viaBearer = await seed(ann).get<LegacyTable<Row>>(
      '/workflow/process/ownList?pageNum=1&pageSize=10',
    );
    const platform = ok<{ rows: { id: string }[] }>(
      await ann.http.get('/api/v1/workflow/instances?scope=started'),
    );
    expect(platform.rows.map((r) => r.id)).toContain(started.body.data.ProcessInstanceId);
    expect(viaBearer.body.rows.map((r) => r.procInsId)).toContain(started.body.data.ProcessInstanceId);
    expect(res.body.total).toBe(viaBearer.body.total);
  });

  it('refuses a wrong secretKey (4001) and a bad requestType (4000)', async () => {
    const wrong = await stack.http.get('/workflow/process/list?pageNum=1&pageSize=10', {
      headers: { ...service, secretKey: 'nope' },
    });
    expect(wrong.body).toMatchObject({ code: 4001 }); // identity answers a wrong secret as 4001 (no permission)
    const bad = await stack.http.get('/workflow/process/list?pageNum=1&pageSize=10', {
      headers: { ...service, requestType: 'robot' },
    });
    expect(bad.body).toMatchObject({ code: 4000 });
  });

  it('start (body processDefId, trailing slash) → todoList → complete (TaskBo) → finishedList → ownList', async () => {
    const started = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processDefId: 'singleTask',
      variables: { pool: 'role:staff', input58922: '', daterange29917: null },
    });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ code: 200, msg: '流程启动成功' });
    const { TaskId, ProcessInstanceId } = started.body.data;
    expect(TaskId).toMatch(/^\d+$/);

    const todo = await seed(bob).get<LegacyTable<Row>>('/workflow/process/todoList?pageNum=1&pageSize=10');
    const row = todo.body.rows.find((r) => r.taskId === TaskId)!;
    expect(row).toMatchObject({
      taskName: 'Approve',
      taskDefKey: 'approve',
      procInsId: ProcessInstanceId,
      startUserName: 'ann004',
      processStatus: 'running',
    });
    expect(row.duration).toMatch(/^\d+天\d+小时\d+分钟$/);

    const done = await seed(bob).post<LegacyAnswer>('/workflow/task/complete', {
      taskId: TaskId,
      taskName: 'Approve',
      userId: 'ignored',
      comment: '同意',
      procInsId: ProcessInstanceId,
      targetKey: '',
      variables: {},
      assignee: '',
      candidateUsers: [{}],
      candidateGroups: [{}],
      copyUserIds: ann.staffId,
      nextUserIds: '',
    });
    expect(done.body).toMatchObject({ code: 200, data: { ProcessInstanceId } });
    const finished = await seed(bob).get<LegacyTable<Row>>(
      '/workflow/process/finishedList?pageNum=1&pageSize=10',
    );
    expect(finished.body.rows.map((r) => r.taskId)).toContain(TaskId);
    const copied = ok<{ rows: { id: string }[] }>(await ann.http.get('/api/v1/workflow/tasks?scope=copied'));
    expect(copied.rows.map((t) => t.id)).toContain(TaskId);

    const own = await seed(ann).get<LegacyTable<Row>>(
      '/workflow/process/ownList?pageNum=1&pageSize=10&proStartBeginTime=2000-01-01%2000:00:00',
    );
    expect(own.body.rows.find((r) => r.procInsId === ProcessInstanceId)).toMatchObject({
      processStatus: 'running',
      taskName: 'Second',
    });

    // the same task through the platform API is done: one state, two surfaces
    const platform = ok<{ status: string; endedBy: string }>(
      await bob.http.get(`/api/v1/workflow/tasks/${TaskId}`),
    );
    expect(platform).toMatchObject({ status: 'completed', endedBy: bob.staffId });
  });

  it('start with the id in the path; return, transfer (the path with a space), delegate, reject', async () => {
    const def = ok<{ rows: { id: string }[] }>(
      await admin.http.get('/api/v1/workflow/definitions?key=singleTask'),
    );
    const started = await seed(ann).post<LegacyAnswer>(`/workflow/process/start/${def.rows[0].id}`, {
      variables: { pool: 'role:staff' },
    });
    const first = started.body.data.TaskId!;
    await seed(bob).post('/workflow/task/complete', { taskId: first });
    const second = ok<{ tasks: { id: string; elementId: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${started.body.data.ProcessInstanceId}`),
    ).tasks[0];

    const back = await seed(bob).post<LegacyAnswer>('/workflow/task/return', {
      taskId: second.id,
      targetKey: 'approve',
      comment: '重填',
    });
    expect(back.body).toMatchObject({ code: 200 });
    const again = ok<{ tasks: { id: string; elementId: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${started.body.data.ProcessInstanceId}`),
    ).tasks;
    expect(again.map((t) => t.elementId)).toEqual(['approve']);

    const moved = await fetch(`${stack.http.baseUrl}/workflow/task/%20transfer`, {
      method: 'POST',
      headers: {
        requestType: 'app',
        appID: front.clientId,
        secretKey: front.secret,
        authorization: `Bearer ${bob.accessToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ taskId: again[0].id, userId: ann.staffId, comment: '转给安' }),
    });
    expect(((await moved.json()) as LegacyAnswer).code).toBe(200);
    const task = ok<{ assigneeId: string }>(await ann.http.get(`/api/v1/workflow/tasks/${again[0].id}`));
    expect(task.assigneeId).toBe(ann.staffId);

    const delegated = await seed(ann).post<LegacyAnswer>('/workflow/task/delegate', {
      taskId: again[0].id,
      userId: bob.staffId,
    });
    expect(delegated.body.code).toBe(200);
    const noUser = await seed(ann).post('/workflow/task/delegate', { taskId: again[0].id });
    expect(noUser.body).toMatchObject({ code: 4101, errors: [{ field: 'userId' }] });

    const other = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const rejected = await seed(bob).post<LegacyAnswer>('/workflow/task/reject', {
      taskId: other.body.data.TaskId,
      comment: '不同意',
    });
    expect(rejected.body.code).toBe(200);
    const detail = ok<{ status: string }>(
      await ann.http.get(`/api/v1/workflow/instances/${other.body.data.ProcessInstanceId}`),
    );
    expect(detail.status).toBe('rejected');
  });

  it('stopProcess by taskId stops the instance; delete removes it (admin); both refuse a missing taskId', async () => {
    const started = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const stopped = await seed(ann).post<LegacyAnswer>('/workflow/task/stopProcess', {
      taskId: started.body.data.TaskId,
      comment: '不需要了',
    });
    expect(stopped.body).toMatchObject({
      code: 200,
      data: { ProcessInstanceId: started.body.data.ProcessInstanceId },
    });
    expect(
      ok<{ status: string }>(
        await ann.http.get(`/api/v1/workflow/instances/${started.body.data.ProcessInstanceId}`),
      ).status,
    ).toBe('stopped');

    const missing = await seed(admin).post('/workflow/task/delete', { comment: 'x' });
    expect(missing.body).toMatchObject({ code: 4101, errors: [{ field: 'taskId' }] });
    const denied = await seed(ann).post('/workflow/task/delete', { taskId: started.body.data.TaskId });
    expect(denied.body).toMatchObject({ code: 4001 });
    const deleted = await seed(admin).post<LegacyAnswer>('/workflow/task/delete', {
      taskId: started.body.data.TaskId,
    });
    expect(deleted.body.code).toBe(200);
  });

  it('Idempotency-Key (DESIGN §2, S004-39): a start, complete or stopProcess sent again — or twice at once — with the same key applies once and answers the first result', async () => {
    const key = (name: string) => ({ headers: { 'Idempotency-Key': `wo004-${name}` } });
    const body = { processId: 'singleTask', variables: { pool: 'role:staff' } };
    const starts = await Promise.all([
      seed(ann).post<LegacyAnswer>('/workflow/process/start/', body, key('start')),
      seed(ann).post<LegacyAnswer>('/workflow/process/start/', body, key('start')),
    ]);
    const retried = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', body, key('start'));
    for (const answer of [...starts, retried]) expect(answer.body.code).toBe(200);
    const { TaskId, ProcessInstanceId } = starts[0].body.data;
    expect(starts[1].body.data).toEqual({ TaskId, ProcessInstanceId });
    expect(retried.body.data).toEqual({ TaskId, ProcessInstanceId });
    const started = ok<{ rows: { id: string }[] }>(
      await ann.http.get('/api/v1/workflow/instances?scope=started&pageSize=200'),
    ).rows.filter((i) => BigInt(i.id) >= BigInt(ProcessInstanceId));
    expect(started.map((i) => i.id)).toEqual([ProcessInstanceId]);

    // the same approval sent twice by a client that did not see the first answer: one completion
    const approvals = await Promise.all([
      seed(bob).post<LegacyAnswer>('/workflow/task/complete', { taskId: TaskId, comment: '同意' }, key('ok')),
      seed(bob).post<LegacyAnswer>('/workflow/task/complete', { taskId: TaskId, comment: '同意' }, key('ok')),
    ]);
    expect(approvals.map((a) => a.body.code)).toEqual([200, 200]);
    expect(approvals[1].body.data).toEqual(approvals[0].body.data);
    const second = approvals[0].body.data.TaskId!;

    const stop = { taskId: second, comment: '不需要了' };
    const stopped = await seed(ann).post<LegacyAnswer>('/workflow/task/stopProcess', stop, key('stop'));
    const stoppedAgain = await seed(ann).post<LegacyAnswer>('/workflow/task/stopProcess', stop, key('stop'));
    expect(stopped.body).toMatchObject({ code: 200, data: { ProcessInstanceId } });
    expect(stoppedAgain.body).toEqual(stopped.body);
    const detail = ok<{ status: string; comments: { type: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${ProcessInstanceId}`),
    );
    expect(detail.status).toBe('stopped');
    expect(detail.comments.filter((c) => c.type === 'stop')).toHaveLength(1);
  });

  it('answers the response-code table: 4004 bad token, 4002 disabled account, 4200 unknown user, 4101 field', async () => {
    const badToken = await stack.http.get<{ code: number }>('/workflow/process/list?pageNum=1&pageSize=10', {
      headers: {
        requestType: 'app',
        appID: front.clientId,
        secretKey: front.secret,
        authorization: 'Bearer not-a-jwt',
      },
    });
    expect({ status: badToken.status, code: badToken.body.code }).toEqual({ status: 401, code: 4004 });

    const gone = await createStaff(admin.http, { account: 'gone004' });
    const before = await loginAs(stack.http, gone.account, gone.password);
    ok(await admin.http.post(`/api/v1/staff/${gone.id}/disable`, {}), 'disable');
    const disabled = await stack.http.post<{ code: number }>('/api/v1/auth/login', {
      account: gone.account,
      password: gone.password,
    });
    expect({ status: disabled.status, code: disabled.body.code }).toEqual({ status: 403, code: 4002 });
    const oldToken = await seed(before).get<{ code: number }>(
      '/workflow/process/todoList?pageNum=1&pageSize=10',
    );
    expect(oldToken.body.code).toBe(4002); // a disabled account's token: 4002 on every route

    const started = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const taskId = started.body.data.TaskId;
    const ghost = await seed(bob).post<{ code: number; errors: { field: string }[] }>(
      '/workflow/task/delegate',
      {
        taskId,
        userId: 'ghost-user',
      },
    );
    expect({ status: ghost.status, code: ghost.body.code }).toEqual({ status: 404, code: 4200 });
    expect(ghost.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
    const toDisabled = await seed(bob).post<{ code: number }>('/workflow/task/transfer', {
      taskId,
      userId: gone.id,
    });
    expect(toDisabled.body.code).toBe(4200);
    const badPage = await seed(bob).get<{ code: number; errors: { field: string }[] }>(
      '/workflow/process/todoList?pageNum=0&pageSize=10',
    );
    expect({ status: badPage.status, code: badPage.body.code }).toEqual({ status: 400, code: 4101 });
    expect(badPage.body.errors[0].field).toBe('pageNum');
  });

  it('answers an unknown task with 404 in the seed-004 code table', async () => {
    const res = await seed(bob).post('/workflow/task/complete', { taskId: '987654' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 404 });
  });

  it('getProcessForm, WorkOrder/app/list, synthesis/list and 创建工单 (start or bind) as the seed sends them', async () => {
    ok(await admin.http.post('/api/v1/work-order-templates/opportunityReport/deploy', {}), 'deploy template');
    const definition = ok<{ rows: { id: string; key: string }[] }>(
      await admin.http.get('/api/v1/workflow/definitions?key=opportunityReport'),
    ).rows[0];

    // 获取流程表单信息: a Flowable-style definition id, the deployment id, then with the instance's values
    const form = await stack.http.get<LegacyAnswer<Row>>(
      `/workflow/process/getProcessForm?definitionId=opportunityReport:1:7db6ac0f-d888&deployId=${definition.id}`,
      { headers: service },
    );
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ code: 200, msg: '操作成功' });
    expect(form.body.data).toMatchObject({
      deployId: definition.id,
      formKey: 'opportunity-report',
      formData: null,
    });
    const components = (form.body.data.formContent as { components: { key?: string }[] }).components;
    expect(components.map((c) => c.key)).toEqual(expect.arrayContaining(['custName', 'lastVisitDate']));
    const otherDeployment = await stack.http.get(
      `/workflow/process/getProcessForm?definitionId=${definition.id}&deployId=999999`,
      { headers: service },
    );
    expect(otherDeployment.status).toBe(404);

    // the two type lists: token in the query string only, secrets never listed
    const type = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-types', {
        name: '统一工单中心',
        appCode: '3b0ffd250acd400ea57fe23bd211c316',
        definitionKey: 'opportunityReport',
        iconUrl: 'https://cdn.example/mhyysc.png',
      }),
    );
    const root = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-categories', { name: '33-工单-综合' }),
    );
    const leaf = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-categories', {
        name: '报修',
        parentId: root.id,
        description: '维修',
      }),
    );
    const bare = (path: string) =>
      fetch(`${stack.http.baseUrl}${path}`).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as LegacyAnswer<Row[]>,
      }));
    const apps = await bare(`/WorkOrder/app/list?accessToken=${ann.accessToken}&pageNo=1&pageSize=10`);
    expect(apps.status).toBe(200);
    expect(apps.body).toMatchObject({ code: 200, msg: '操作成功' });
    expect(apps.body.data).toEqual([
      {
        appId: type.id,
        applicationName: '统一工单中心',
        applicationId: '3b0ffd250acd400ea57fe23bd211c316',
        applicationSecret: '',
        appFlag: '0',
        images: 'https://cdn.example/mhyysc.png',
      },
    ]);
    expect((await bare('/WorkOrder/app/list?accessToken=not-a-token&pageNo=1&pageSize=10')).status).toBe(401);
    const synthesis = await bare(`/synthesis/list?accessToken=${ann.accessToken}&pageNo=1&pageSize=10`);
    expect(synthesis.body.data).toEqual([
      {
        synthesisId: root.id,
        parentId: null,
        categoryName: '33-工单-综合',
        description: '',
        childFlag: true,
      },
      {
        synthesisId: leaf.id,
        parentId: root.id,
        categoryName: '报修',
        description: '维修',
        childFlag: false,
      },
    ]);
    // the request lines are written a moment after the answer
    const logged = await until(async () => {
      const text = stack.gateway.logs();
      return text.includes('"url":"/synthesis/list?accessToken=[redacted]&pageNo=1') ? text : undefined;
    }, 5_000);
    expect(logged).toContain('"url":"/WorkOrder/app/list?accessToken=[redacted]&pageNo=1');
    expect(logged).not.toContain(ann.accessToken);

    // 创建工单 as the seed example writes it (leading dash, empty server-owned fields)
    const params = {
      custName: '测试客户',
      lastVisitDate: '2026-11-20',
      opportunityType: '云网融合',
      custBusinessNeeds: '专线',
      isNeedSupport: '否',
      isSigned: '否',
    };
    const example = {
      systemId: '测试001',
      projectId: '',
      workorderId: type.id,
      workorderIdExtend: `1,${type.id}`,
      processId: 'opportunityReport',
      workorderNumber: '',
      title: '测试001',
      workorderStatus: '',
      processStatus: '',
      source: '',
      compensation: '',
      evaluate: '',
      roomNumber: '',
      description: '',
      attachmentUrls: '',
      params,
      taskId: '',
    };
    const created = await seed(ann).post<LegacyAnswer>('/-userdefine/workorder/workorder', example);
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ code: 200, data: { TaskId: expect.stringMatching(/^\d+$/) } });
    const instanceId = created.body.data.ProcessInstanceId;
    const orders = ok<{ rows: { typeId: string; title: string; systemId: string }[] }>(
      await ann.http.get(`/api/v1/work-orders?instanceId=${instanceId}`),
    );
    expect(orders.rows).toEqual([
      expect.objectContaining({ typeId: type.id, title: '测试001', systemId: '测试001' }),
    ]);
    const withData = await seed(ann).get<LegacyAnswer<Row>>(
      `/workflow/process/getProcessForm?definitionId=${definition.id}&deployId=${definition.id}&procInsId=${instanceId}`,
    );
    expect(withData.body.data.formData).toMatchObject({ custName: '测试客户' });
    const invalid = await seed(ann).post<{ code: number; errors: { field: string }[] }>(
      '/userdefine/workorder/workorder',
      { ...example, params: { ...params, custName: '' } },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.body.code).toBe(4101);
    expect(invalid.body.errors.map((e) => e.field)).toContain('custName');

    // bind an instance started first (procInstId + taskId): once, and only by its initiator
    const started = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processDefId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const bind = {
      ...example,
      processId: 'singleTask',
      params: {},
      procInstId: started.body.data.ProcessInstanceId,
      taskId: started.body.data.TaskId,
    };
    expect((await seed(bob).post('/userdefine/workorder/workorder', bind)).status).toBe(404);
    // taskId (是, 任务ID) is the started instance's task: checked, never echoed unread
    const other = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processDefId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    for (const [taskId, status, code] of [
      [other.body.data.TaskId, 404, 404],
      ['999999999999', 404, 404],
      ['95c0df1a-2179-11f0-bb1d-7a2b9af5855c', 400, 4101],
    ] as const) {
      const wrong = await seed(ann).post<{ code: number; errors?: { field: string }[] }>(
        '/userdefine/workorder/workorder',
        { ...bind, taskId },
      );
      expect([taskId, wrong.status, wrong.body.code]).toEqual([taskId, status, code]);
      if (code === 4101) expect(wrong.body.errors?.map((e) => e.field)).toEqual(['taskId']);
    }
    const bound = await seed(ann).post<LegacyAnswer>('/userdefine/workorder/workorder', bind);
    expect(bound.body).toMatchObject({ code: 200, data: started.body.data });
    // without taskId the answer names the instance's open task (it answered null)
    const unnamed = await seed(ann).post<LegacyAnswer>('/userdefine/workorder/workorder', {
      ...bind,
      procInstId: other.body.data.ProcessInstanceId,
      taskId: '',
    });
    expect(unnamed.body).toMatchObject({ code: 200, data: other.body.data });
    const twice = await seed(ann).post<{ code: number }>('/userdefine/workorder/workorder', bind);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe(4090);
  });

  it('issue #15: requestType is required (4000); the registration bounds apps and services; wrong deployId, empty title; procDefVersion and the start form in lists', async () => {
    // "所有的接口请求必须带上请求头参数 … requestType": a plain Bearer call, or none at all, is 4000.
    for (const [method, path] of [
      ['GET', '/workflow/process/list?pageNum=1&pageSize=10'],
      ['POST', '/workflow/task/complete'],
      ['POST', '/-userdefine/workorder/workorder'],
    ] as const) {
      const plain = await ann.http.request<{ code: number; msg: string }>(method, path, {
        body: method === 'POST' ? {} : undefined,
      });
      expect({ path, status: plain.status, code: plain.body.code }).toEqual({
        path,
        status: 400,
        code: 4000,
      });
      expect(plain.body.msg).toContain('requestType');
      expect((await stack.http.request<{ code: number }>(method, path)).body.code).toBe(4000);
    }

    // An app or service registered with only crm:read reaches no process or task route.
    const crmApp = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'app',
        name: 'crm-only',
        permissions: ['crm:read'],
      }),
    );
    const viaCrmApp = await stack.http.post<{ code: number; msg: string }>(
      '/workflow/process/start/',
      { processDefId: 'singleTask', variables: { pool: 'role:staff' } },
      {
        headers: {
          requestType: 'app',
          appID: crmApp.clientId,
          secretKey: crmApp.secret,
          accessToken: admin.accessToken,
        },
      },
    );
    expect(viaCrmApp.status).toBe(403);
    expect(viaCrmApp.body.code).toBe(4001);
    expect(viaCrmApp.body.msg).toContain('workflow:use');
    const crmService = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: 'crm-svc',
        permissions: ['crm:read'],
      }),
    );
    const svcHeaders = {
      requestType: 'service',
      serverID: crmService.clientId,
      secretKey: crmService.secret,
    };
    expect(
      (
        await stack.http.get<{ code: number }>('/workflow/process/list?pageNum=1&pageSize=10', {
          headers: svcHeaders,
        })
      ).body.code,
    ).toBe(4001);
    expect(
      (
        await stack.http.post<{ code: number }>(
          '/workflow/process/start/',
          { processDefId: 'singleTask' },
          { headers: svcHeaders },
        )
      ).body.code,
    ).toBe(4001);

    // getProcessForm: a deployId that is not the definition's deployment is never 200.
    const definition = ok<{ rows: { id: string; version: number }[] }>(
      await admin.http.get('/api/v1/workflow/definitions?key=opportunityReport'),
    ).rows[0];
    for (const deployId of ['abc', '0', `${definition.id}0`]) {
      const wrong = await stack.http.get<{ code: number }>(
        `/workflow/process/getProcessForm?definitionId=${definition.id}&deployId=${deployId}`,
        { headers: service },
      );
      expect({ deployId, status: wrong.status, code: wrong.body.code }).toEqual({
        deployId,
        status: 404,
        code: 404,
      });
    }

    // 创建工单 with an empty title names the field (4101), never a 500.
    const empty = await seed(ann).post<{ code: number; errors: { field: string }[] }>(
      '/-userdefine/workorder/workorder',
      {
        processId: 'singleTask',
        title: '',
        systemId: 'oa',
        params: {},
      },
    );
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe(4101);
    expect(empty.body.errors.map((e) => e.field)).toContain('title');

    // The process list carries the bound start form; task lists the definition version.
    const list = await stack.http.get<LegacyTable<Row>>(
      '/workflow/process/list?pageNum=1&pageSize=10&processKey=opportunityReport',
      {
        headers: service,
      },
    );
    expect(list.body.rows[0]).toMatchObject({
      formId: expect.stringMatching(/^\d+$/),
      formName: expect.any(String),
    });
    const single = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processDefId: 'singleTask',
      variables: { pool: 'role:staff' },
    });
    const todo = await seed(bob).get<LegacyTable<Row>>('/workflow/process/todoList?pageNum=1&pageSize=50');
    const row = todo.body.rows.find((r) => r.procInsId === single.body.data.ProcessInstanceId)!;
    expect(row.procDefVersion).toBe(1);
  });

  it('a bad proStartBeginTime / proStartEndTime on ownList, todoList and finishedList names the query parameter (it named startedFrom, beginTime, endTime …)', async () => {
    type Failure = { code: number; errors: { field: string; reason: string }[] };
    for (const list of ['ownList', 'todoList', 'finishedList'])
      for (const [param, value] of [
        ['proStartBeginTime', 'abc'],
        ['proStartEndTime', '2025-13-45 00:00:00'],
      ]) {
        const answer = await seed(ann).get<Failure>(
          `/workflow/process/${list}?pageNum=1&pageSize=10&${param}=${encodeURIComponent(value)}`,
        );
        expect([list, answer.status, answer.body.code, answer.body.errors.map((e) => e.field)]).toEqual([
          list,
          400,
          4101,
          [param],
        ]);
        expect(answer.body.errors[0].reason).toMatch(new RegExp(`^${param} `));
      }
  });

  it('创建工单: an unknown workorderId is 4101 on workorderId even with a processId (it was stored dangling), and no process names processId (not definitionKey)', async () => {
    type Failure = { code: number; errors: { field: string; reason: string }[] };
    const example = {
      systemId: '测试002',
      projectId: '',
      workorderId: '',
      workorderIdExtend: '',
      processId: 'singleTask',
      workorderNumber: '',
      title: '测试002',
      workorderStatus: '',
      processStatus: '',
      source: '',
      compensation: '',
      evaluate: '',
      roomNumber: '',
      description: '',
      attachmentUrls: '',
      params: { pool: 'role:staff' },
      procInstId: '',
      taskId: '',
    };
    const refused = async (body: object) => {
      const answer = await seed(ann).post<Failure>('/-userdefine/workorder/workorder', body);
      return [answer.status, answer.body.code, answer.body.errors?.map((e) => e.field)];
    };
    expect(await refused({ ...example, workorderId: '99999999' })).toEqual([400, 4101, ['workorderId']]);
    expect(await refused({ ...example, workorderId: '99999999', workorderIdExtend: '2,99999999' })).toEqual([
      400,
      4101,
      ['workorderId'],
    ]);
    expect(await refused({ ...example, processId: '' })).toEqual([400, 4101, ['processId']]);
    expect(
      ok<{ rows: unknown[] }>(
        await ann.http.get(`/api/v1/work-orders?systemId=${encodeURIComponent('测试002')}`),
      ).rows,
    ).toEqual([]);
    // the platform route alike: a type that does not exist is never stored beside a process key
    const platform = await ann.http.post<Failure>('/api/v1/work-orders', {
      title: '悬空类型',
      systemId: 'crm',
      definitionKey: 'singleTask',
      typeId: '99999999',
      draft: true,
    });
    expect([platform.status, platform.body.code, platform.body.errors?.map((e) => e.field)]).toEqual([
      400,
      4101,
      ['typeId'],
    ]);
  });

  it('创建工单: attachmentUrls (comma-separated) takes http(s) addresses and /api/v1/attachments/{id}/content only; another is 4101 naming its place', async () => {
    type Failure = { code: number; errors: { field: string; reason: string }[] };
    const body = (attachmentUrls: string) => ({
      systemId: '测试003',
      projectId: '',
      processId: 'singleTask',
      title: '附件',
      attachmentUrls,
      params: { pool: 'role:staff' },
      taskId: '',
    });
    for (const [urls, field] of [
      ['https://files.example.com/a.pdf,javascript:alert(1)', 'attachmentUrls[1]'],
      [`https://files.example.com/${'a'.repeat(3000)}`, 'attachmentUrls[0]'],
      ['data:text/html,x', 'attachmentUrls[0]'],
    ]) {
      const answer = await seed(ann).post<Failure>('/-userdefine/workorder/workorder', body(urls));
      expect([answer.status, answer.body.code, answer.body.errors?.map((e) => e.field)]).toEqual([
        400,
        4101,
        [field],
      ]);
    }
    // an order only ann works on (a task pool of all staff would show it to every member)
    const first = await seed(ann).post<LegacyAnswer>('/-userdefine/workorder/workorder', {
      ...body('https://files.example.com/a.pdf'),
      params: { pool: `user:${ann.staffId}` },
    });
    const own = await attachmentOn(ann, first.body.data.ProcessInstanceId);
    const accepted = await seed(ann).post<LegacyAnswer>(
      '/-userdefine/workorder/workorder',
      body(`https://files.example.com/a.pdf, ${own}`),
    );
    expect(accepted.body.code).toBe(200);
    const orders = ok<{ rows: { attachmentUrls: string[] }[] }>(
      await ann.http.get(`/api/v1/work-orders?instanceId=${accepted.body.data.ProcessInstanceId}`),
    );
    expect(orders.rows.map((o) => o.attachmentUrls)).toEqual([['https://files.example.com/a.pdf', own]]);
    // a file of another department's order (cai cannot open it) or a missing one: 4101 naming its place
    const staff = await roleId(admin.http, 'staff');
    const c = await createStaff(admin.http, {
      account: 'cai004',
      roleIds: [staff],
      departmentId: await createDepartment(admin.http, '外协部'),
    });
    const cai = await loginAs(stack.http, c.account, c.password);
    expect((await cai.http.get(own)).status).toBe(404);
    const refused = await seed(cai).post<Failure>(
      '/-userdefine/workorder/workorder',
      body(`https://files.example.com/a.pdf,${own},/api/v1/attachments/999999999/content`),
    );
    expect([refused.status, refused.body.code, refused.body.errors?.map((e) => e.field)]).toEqual([
      400,
      4101,
      ['attachmentUrls[1]', 'attachmentUrls[2]'],
    ]);
    // more than 20 is refused as such, before any is looked up
    const many = await seed(cai).post<Failure>(
      '/-userdefine/workorder/workorder',
      body(Array.from({ length: 21 }, () => '/api/v1/attachments/999999999/content').join(',')),
    );
    expect([many.status, many.body.code, many.body.errors?.map((e) => e.field)]).toEqual([
      400,
      4101,
      ['attachmentUrls'],
    ]);
  });

  /** A file on the work order of `instanceId`, uploaded by `who`: its reference. */
  const attachmentOn = async (who: TestSession, instanceId: string) => {
    const order = ok<{ rows: { id: string }[] }>(
      await who.http.get(`/api/v1/work-orders?instanceId=${instanceId}`),
    ).rows[0]!;
    const form = new FormData();
    form.append('file', new Blob(['报修说明']), 'note.txt');
    const uploaded = await who.http.request<{ code: number; data: { url: string } }>(
      'POST',
      `/api/v1/work-orders/${order.id}/attachments`,
      { rawBody: form },
    );
    expect(uploaded.body.code).toBe(200);
    return uploaded.body.data.url;
  };

  it('a multipart/form-data body outside the upload routes is 4101 on body (its fields were dropped unread: "taskId is required")', async () => {
    const started = (
      await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
        processId: 'singleTask',
        variables: { pool: 'role:staff' },
      })
    ).body.data;
    const form = new FormData();
    form.append('taskId', started.TaskId);
    form.append('comment', '同意');
    const viaForm = async (path: string, headers: Record<string, string>) => {
      const res = await fetch(`${stack.http.baseUrl}${path}`, { method: 'POST', headers, body: form });
      const body = (await res.json()) as { code: number; errors?: { field: string }[] };
      return [res.status, body.code, body.errors?.map((e) => e.field)];
    };
    const headers = {
      requestType: 'app',
      appID: front.clientId,
      secretKey: front.secret,
      accessToken: bob.accessToken,
    };
    expect(await viaForm('/workflow/task/complete', headers)).toEqual([400, 4101, ['body']]);
    expect(await viaForm('/api/v1/work-orders', { authorization: `Bearer ${admin.accessToken}` })).toEqual([
      400,
      4101,
      ['body'],
    ]);
    expect(
      ok<{ status: string }>(await bob.http.get(`/api/v1/workflow/tasks/${started.TaskId}`)).status,
    ).toBe('open');
  });

  it('a failure names the field as the TaskBo spells it: copyUserIds, nextUserIds, targetKey (never the platform names)', async () => {
    const fresh = async () =>
      (
        await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
          processId: 'singleTask',
          variables: { pool: 'role:staff' },
        })
      ).body.data;
    type Failure = { code: number; msg: string; errors: { field: string; reason: string }[] };
    const { TaskId, ProcessInstanceId } = await fresh();
    const copy = await seed(bob).post<Failure>('/workflow/task/complete', {
      taskId: TaskId,
      copyUserIds: `${ann.staffId},999999`,
    });
    expect(copy.body).toMatchObject({ code: 4200, errors: [{ field: 'copyUserIds[1]' }] });
    const next = await seed(bob).post<Failure>('/workflow/task/complete', {
      taskId: TaskId,
      nextUserIds: 'no-such-user',
    });
    expect(next.body).toMatchObject({ code: 4200, errors: [{ field: 'nextUserIds[0]' }] });
    // the task is still open: nothing was half-done
    expect(ok<{ status: string }>(await bob.http.get(`/api/v1/workflow/tasks/${TaskId}`)).status).toBe(
      'open',
    );

    ok(await bob.http.post(`/api/v1/workflow/tasks/${TaskId}/complete`, {}), 'complete');
    const second = ok<{ tasks: { id: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${ProcessInstanceId}`),
    ).tasks[0].id;
    const back = await seed(bob).post<Failure>('/workflow/task/return', {
      taskId: second,
      targetKey: 'nowhere',
    });
    expect(back.body.code).toBe(4101);
    expect(back.body.errors.map((e) => e.field)).toEqual(['targetKey']);
    for (const failure of [copy, next, back])
      expect(JSON.stringify(failure.body)).not.toMatch(/copyTo|nextAssignees|targetElementId/);
  });

  it('issue #15: nextUserIds on complete assigns the node the completion opens; ownList honours category', async () => {
    const started = await seed(ann).post<LegacyAnswer>('/workflow/process/start/', {
      processDefId: 'leaveApproval',
      variables: { day: 1 },
    });
    expect(started.body.code).toBe(200);
    const done = await seed(ann).post<LegacyAnswer>('/workflow/task/complete', {
      taskId: started.body.data.TaskId,
      comment: '请组长审批',
      nextUserIds: bob.staffId,
    });
    expect(done.body.code).toBe(200);
    const next = ok<{ id: string; elementId: string; assigneeId: string | null }>(
      await bob.http.get(`/api/v1/workflow/tasks/${done.body.data.TaskId}`),
    );
    expect(next).toMatchObject({ elementId: 'lead', assigneeId: bob.staffId });
    const todo = await seed(bob).get<LegacyTable<Row>>('/workflow/process/todoList?pageNum=1&pageSize=50');
    expect(todo.body.rows.map((r) => r.taskId)).toContain(done.body.data.TaskId);
    const ghost = await seed(ann).post<{ code: number }>('/workflow/task/complete', {
      taskId: done.body.data.TaskId,
      nextUserIds: 'no-such-user',
    });
    expect(ghost.body.code).not.toBe(200);

    const all = await seed(ann).get<LegacyTable<Row>>('/workflow/process/ownList?pageNum=1&pageSize=50');
    expect(all.body.total).toBeGreaterThan(0);
    const none = await seed(ann).get<LegacyTable<Row>>(
      `/workflow/process/ownList?pageNum=1&pageSize=50&category=${encodeURIComponent('无此分类')}`,
    );
    expect(none.body).toMatchObject({ code: 200, total: 0, rows: [] });
  });
});
