import {
  createStaff,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, ok } from '../workflow/workflow-helpers';

/*
 * Seed 004 (统一工单中心, /work/shared/seeds/004_*.txt) replayed example by example: every 示例 of the
 * document with its path (typos included: the leading dash, the space in "/ transfer"), method, query
 * string, JSON body and the two header sets, ids swapped for this database's. Each answer is checked
 * for every field the document lists, with the type of its example (`null` in an example = any type).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Row = Record<string, Json>;
interface Answer {
  code: number;
  msg: string;
  data?: Json;
  total?: number;
  rows?: Row[];
}

// ------------------------------------------------------------------ the document's examples

const PROCESS_ROW: Row = {
  definitionId: 'Process_1737372802048:5:7dbaa3b2-d888-11ef-acd8-8a9e546749a3',
  processName: '租户审核',
  processKey: 'Process_1737372802048',
  category: '1878032733533601793',
  version: 5,
  formId: null,
  formName: null,
  deploymentId: '7db6ac0f-d888-11ef-acd8-8a9e546749a3',
  suspended: false,
  deploymentTime: '2025-01-22 14:17:00',
  iconId: null,
};
const APP_ROW: Row = {
  appId: '1877981134767702018',
  applicationName: '统一工单中心',
  applicationId: '3b0ffd250acd400ea57fe23bd211c316',
  applicationSecret: '4555e6a5b2ec4e209932965ad6cdc9ae',
  appFlag: '0',
  images: 'http://183.62.103.20:21410/oort/oortwj1/group1/default/20231028/11/32/4/mhyysc.png',
};
const SYNTHESIS_ROW: Row = {
  synthesisId: '1878001583559983106',
  parentId: null,
  categoryName: '33-工单-综合',
  description: '',
  childFlag: true,
};
/** The ownList / todoList / finishedList row (the three examples list the same fields). */
const TASK_ROW: Row = {
  taskId: 'd23467f4-0471-11ef-865a-6cf6da435cd3',
  taskName: '444',
  taskDefKey: 'Activity_1div90g',
  assigneeId: null,
  deptName: null,
  startDeptName: null,
  assigneeName: null,
  startUserId: 'a6d24415-18f4-4816-bd86-5086fcb70cea',
  startUserName: '贾平',
  category: 'test',
  procVars: { processStatus: 'running', field101: 1, initiator: 'a6d24415' },
  taskLocalVars: null,
  deployId: 'b600b346-043d-11ef-a184-6cf6da435cd3',
  procDefId: 'Process_1714112056273:3:b67742d9-043d-11ef-a184-6cf6da435cd3',
  procDefKey: null,
  procDefName: '业务流程_1714112056273',
  procDefVersion: 3,
  procInsId: 'c68d01e3-0471-11ef-865a-6cf6da435cd3',
  hisProcInsId: null,
  duration: null,
  comment: null,
  commentList: null,
  candidate: null,
  createTime: '2024-04-27 16:40:37',
  finishTime: null,
  processStatus: 'running',
  proInsCreateTime: '2024-04-27 16:40:18',
};
const STARTED = { TaskId: '69fcb23d', ProcessInstanceId: '69f3d88b' };
/** The TaskBo example every /workflow/task/* section gives; "string" placeholders become real values or "". */
const TASK_BO = {
  taskId: 'string',
  taskName: 'string',
  userId: 'string',
  comment: 'string',
  procInsId: 'string',
  targetKey: 'string',
  variables: {},
  assignee: 'string',
  candidateUsers: [{}],
  candidateGroups: [{}],
  copyUserIds: 'string',
  nextUserIds: 'string',
};
const DATE_TIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;

/** Every documented field is present with the type of the document's example (null allowed). */
function expectDocumented(actual: unknown, example: Json, path: string): void {
  if (example === null) return;
  if (actual === null) return;
  if (Array.isArray(example)) {
    if (!Array.isArray(actual)) throw new Error(`${path}: expected an array, got ${JSON.stringify(actual)}`);
    return;
  }
  if (typeof example === 'object') {
    if (typeof actual !== 'object')
      throw new Error(`${path}: expected an object, got ${JSON.stringify(actual)}`);
    // procVars' own keys are the process's variables, not documented fields
    if (path.endsWith('procVars')) return;
    for (const key of Object.keys(example)) {
      if (!(key in (actual as object))) throw new Error(`${path}.${key}: missing`);
      expectDocumented((actual as Record<string, unknown>)[key], example[key], `${path}.${key}`);
    }
    return;
  }
  if (typeof actual !== typeof example)
    throw new Error(`${path}: expected ${typeof example}, got ${JSON.stringify(actual)}`);
  if (typeof example === 'string' && DATE_TIME.test(example)) expect(actual).toMatch(DATE_TIME);
}

function expectTable(answer: Answer, example: Row, name: string, atLeast = 1): Row[] {
  expect(answer).toMatchObject({ code: 200, msg: '查询成功' });
  expect(typeof answer.total).toBe('number');
  expect(Array.isArray(answer.rows)).toBe(true);
  expect(answer.rows!.length).toBeGreaterThanOrEqual(atLeast);
  for (const row of answer.rows!) expectDocumented(row, example, name);
  return answer.rows!;
}

const PROCESS_XML = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d1" targetNamespace="http://flowdesk.example/seed004">
  <process id="Process_1741923584470" name="业务流程_1741923584470" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="Activity_1div90g" />
    <userTask id="Activity_1div90g" name="审批" camunda:candidateGroups="role:staff" />
    <sequenceFlow id="f2" sourceRef="Activity_1div90g" targetRef="Activity_14jyrng" />
    <userTask id="Activity_14jyrng" name="复核" camunda:candidateGroups="role:staff" />
    <sequenceFlow id="f3" sourceRef="Activity_14jyrng" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

describe('legacy 004 replay: every example of the document', () => {
  let stack: Stack;
  let admin: TestSession;
  let ann: TestSession;
  let bob: TestSession;
  let definitionId = '';
  let front: { clientId: string; secret: string };
  let service: Record<string, string>;
  const replayed: string[] = [];

  /** 前端应用调用: requestType, appID, secretKey, accessToken, Authorization (the token as the example writes it). */
  const appHeaders = (who: TestSession) => ({
    requestType: 'app',
    appID: front.clientId,
    secretKey: front.secret,
    accessToken: who.accessToken,
    Authorization: who.accessToken,
  });
  const call = async (
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ http: number; body: Answer }> => {
    const res = await fetch(`${stack.http.baseUrl}${path}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { http: res.status, body: (await res.json()) as Answer };
  };
  /** One example of the document replayed: counted, and its envelope checked. */
  const replay = async (
    name: string,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<Answer> => {
    const res = await call(method, path, headers, body);
    if (res.http !== 200 || res.body.code !== 200)
      throw new Error(`${name}: HTTP ${res.http} ${JSON.stringify(res.body)}`);
    expect(typeof res.body.code).toBe('number');
    expect(typeof res.body.msg).toBe('string');
    replayed.push(name);
    return res.body;
  };
  const startOne = async (who: TestSession) => {
    const started = await replay('start', 'POST', '/workflow/process/start/', appHeaders(who), {
      processDefId: definitionId,
      variables: {
        cascaderarea53999: '',
        input58922: '',
        daterange29917: null,
        timerange70409: null,
        textarea79127: '',
        pictureupload96832: null,
        input64189: '',
      },
    });
    return started.data as { TaskId: string; ProcessInstanceId: string };
  };
  const taskBo = (fields: Partial<typeof TASK_BO>) => ({
    ...TASK_BO,
    taskName: '',
    userId: '',
    comment: '',
    procInsId: '',
    targetKey: '',
    assignee: '',
    copyUserIds: '',
    nextUserIds: '',
    ...fields,
  });

  beforeAll(async () => {
    stack = await startStack({ label: 'legacy_004_replay' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const a = await createStaff(admin.http, { account: 'ann004r', roleIds: [staff] });
    const b = await createStaff(admin.http, { account: 'bob004r', roleIds: [staff] });
    ann = await loginAs(stack.http, a.account, a.password);
    bob = await loginAs(stack.http, b.account, b.password);
    definitionId = (await deploy(admin.http, PROCESS_XML)).id;
    // 注册应用 / 注册服务: the document's appID 12345678, and a back-end service
    front = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'app',
        name: '工单前端',
        clientId: '12345678',
        permissions: ['*'],
      }),
    );
    const app = ok<{ clientId: string; secret: string }>(
      await admin.http.post('/api/v1/applications', {
        type: 'service',
        name: '工单后台',
        permissions: ['*'],
        dataScope: 'all',
      }),
    );
    service = { requestType: 'service', serverID: app.clientId, secretKey: app.secret };
  }, 120_000);
  afterAll(() => stack?.stop());

  it('公共请求头 (service) + 获取可发起流程列表: GET /workflow/process/list with every query parameter', async () => {
    const answer = await replay(
      'list',
      'GET',
      `/workflow/process/list?pageNum=1&pageSize=10&processKey=Process_1741923584470&processName=${encodeURIComponent('业务流程')}`,
      service,
    );
    const rows = expectTable(answer, PROCESS_ROW, 'list.rows');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      definitionId,
      processName: '业务流程_1741923584470',
      processKey: 'Process_1741923584470',
      version: 1,
      suspended: false,
      formId: null,
      formName: null,
    });
    replayed.push('headers: service');
  });

  it('获取流程表单信息: GET /workflow/process/getProcessForm?definitionId&deployId&procInsId (empty, as clients send it)', async () => {
    const answer = await replay(
      'getProcessForm',
      'GET',
      `/workflow/process/getProcessForm?definitionId=${definitionId}&deployId=${definitionId}&procInsId=`,
      service,
    );
    expect(answer).toHaveProperty('data');
  });

  it('查询应用工单类型 / 查询综合工单类型: GET WorkOrder/app/list and synthesis/list with accessToken, pageNo, pageSize', async () => {
    ok(
      await admin.http.post('/api/v1/work-order-types', {
        name: '统一工单中心',
        appCode: '3b0ffd250acd400ea57fe23bd211c316',
        definitionKey: 'Process_1741923584470',
        iconUrl: 'http://183.62.103.20:21410/mhyysc.png',
      }),
    );
    ok(await admin.http.post('/api/v1/work-order-categories', { name: '33-工单-综合', description: '' }));
    const apps = await replay(
      'WorkOrder/app/list',
      'GET',
      `/WorkOrder/app/list?accessToken=${ann.accessToken}&pageNo=1&pageSize=10`,
      {},
    );
    expect(apps.msg).toBe('操作成功');
    expect((apps.data as Row[]).length).toBeGreaterThanOrEqual(1);
    for (const row of apps.data as Row[]) expectDocumented(row, APP_ROW, 'app');
    const synthesis = await replay(
      'synthesis/list',
      'GET',
      `/synthesis/list?accessToken=${ann.accessToken}&pageNo=1&pageSize=10`,
      {},
    );
    expect((synthesis.data as Row[]).length).toBeGreaterThanOrEqual(1);
    for (const row of synthesis.data as Row[]) expectDocumented(row, SYNTHESIS_ROW, 'synthesis');
  });

  it('公共请求头 (app) + 发起流程: POST /workflow/process/start/ with the example body → {code:200,msg:"流程启动成功",data:{TaskId,ProcessInstanceId}}', async () => {
    const data = await startOne(ann);
    expectDocumented(data as unknown as Json, STARTED, 'start.data');
    replayed.push('headers: app');
    const platform = ok<{ initiatorId: string; status: string }>(
      await ann.http.get(`/api/v1/workflow/instances/${data.ProcessInstanceId}`),
    );
    expect(platform).toMatchObject({ initiatorId: ann.staffId, status: 'running' });
  });

  it('创建工单: POST -userdefine/workorder/workorder with the example body (empty server-owned fields)', async () => {
    // the example's `2,<id>` names a 综合 (synthesis) category, so its workorderId is a category's id
    const category = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-categories', { name: '33-工单-综合-创建', description: '' }),
    );
    const created = await replay('创建工单', 'POST', '/-userdefine/workorder/workorder', appHeaders(ann), {
      systemId: '测试001',
      projectId: '',
      workorderId: category.id,
      workorderIdExtend: `2,${category.id}`,
      processId: 'Process_1741923584470',
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
      params: { type: '', name: '', code: '', pos: '', newName: '', newCode: '', result: '', reson: '' },
      procInstId: '',
      taskId: '',
    });
    expectDocumented(created.data!, STARTED, '创建工单.data');
  });

  it('查看我发起的流程 / 查询待办任务 / 审批流程 / 查询已办任务 with every documented parameter and field', async () => {
    const { TaskId, ProcessInstanceId } = await startOne(ann);
    const window = `proStartBeginTime=${encodeURIComponent('2025-01-23 00:00:00')}&proStartEndTime=${encodeURIComponent('2099-01-23 00:00:00')}`;
    const own = expectTable(
      await replay(
        'ownList',
        'GET',
        `/workflow/process/ownList?pageNum=1&pageSize=10&processKey=Process_1741923584470&processName=${encodeURIComponent('业务流程')}&${window}`,
        appHeaders(ann),
      ),
      TASK_ROW,
      'ownList.rows',
    );
    expect(own.find((r) => r.procInsId === ProcessInstanceId)).toMatchObject({
      procDefName: '业务流程_1741923584470',
      procDefVersion: 1,
      processStatus: 'running',
      startUserName: 'ann004r',
    });

    const todo = expectTable(
      await replay(
        'todoList',
        'GET',
        `/workflow/process/todoList?pageNum=1&pageSize=10&processName=${encodeURIComponent('业务流程')}&${window}`,
        appHeaders(bob),
      ),
      TASK_ROW,
      'todoList.rows',
    );
    const row = todo.find((r) => r.taskId === TaskId)!;
    expect(row).toMatchObject({
      taskName: '审批',
      taskDefKey: 'Activity_1div90g',
      procInsId: ProcessInstanceId,
      procDefVersion: 1,
      processStatus: 'running',
    });
    expect(row.createTime).toMatch(DATE_TIME);
    // the example's procVars: the process variables with processStatus and initiator (not null)
    expect(row.procVars).toEqual({
      cascaderarea53999: '',
      input58922: '',
      daterange29917: null,
      timerange70409: null,
      textarea79127: '',
      pictureupload96832: null,
      input64189: '',
      processStatus: 'running',
      initiator: ann.staffId,
    });

    const done = await replay(
      'complete',
      'POST',
      '/workflow/task/complete',
      appHeaders(bob),
      taskBo({ taskId: TaskId, taskName: '审批', comment: '同意', procInsId: ProcessInstanceId }),
    );
    expectDocumented(done.data!, STARTED, 'complete.data');
    expect(done.data).toMatchObject({ ProcessInstanceId });

    const finished = expectTable(
      await replay(
        'finishedList',
        'GET',
        `/workflow/process/finishedList?pageNum=1&pageSize=10&processName=${encodeURIComponent('业务流程')}&${window}`,
        appHeaders(bob),
      ),
      TASK_ROW,
      'finishedList.rows',
    );
    const finishedRow = finished.find((r) => r.taskId === TaskId)!;
    expect(finishedRow.finishTime).toMatch(DATE_TIME);
    // the finishedList example: "duration": "1天5小时8分42秒"; its instance is still running
    expect(finishedRow.duration).toMatch(/^\d+天\d+小时\d+分\d+秒$/);
    expect(finishedRow.processStatus).toBe('running');
    expect(finishedRow.procVars).toMatchObject({ processStatus: 'running', initiator: ann.staffId });
  });

  it('拒绝 / 委派 / 转办 / 退回 / 取消 / 删除任务: the TaskBo example body on each /workflow/task/* path → {msg, code, data}', async () => {
    // 退回任务 (return): the second node goes back to the first (targetKey)
    const a = await startOne(ann);
    await replay('complete (to the second node)', 'POST', '/workflow/task/complete', appHeaders(bob), {
      ...taskBo({ taskId: a.TaskId, procInsId: a.ProcessInstanceId }),
    });
    replayed.pop(); // the complete example was counted above
    const second = ok<{ tasks: { id: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${a.ProcessInstanceId}`),
    ).tasks[0];
    const back = await replay(
      'return',
      'POST',
      '/workflow/task/return',
      appHeaders(bob),
      taskBo({
        taskId: second.id,
        targetKey: 'Activity_1div90g',
        comment: '重填',
        procInsId: a.ProcessInstanceId,
      }),
    );
    expect(back).toHaveProperty('data');
    const firstAgain = ok<{ tasks: { id: string; elementId: string }[] }>(
      await ann.http.get(`/api/v1/workflow/instances/${a.ProcessInstanceId}`),
    ).tasks;
    expect(firstAgain.map((t) => t.elementId)).toEqual(['Activity_1div90g']);

    // 转办任务 at the document's path, space included
    const moved = await replay(
      'transfer',
      'POST',
      '/workflow/task/%20transfer',
      appHeaders(bob),
      taskBo({ taskId: firstAgain[0].id, userId: ann.staffId!, comment: '转给安' }),
    );
    expect(moved).toHaveProperty('data');
    expect(
      ok<{ assigneeId: string }>(await ann.http.get(`/api/v1/workflow/tasks/${firstAgain[0].id}`)),
    ).toMatchObject({ assigneeId: ann.staffId });

    // 委派任务 to bob
    const delegated = await replay(
      'delegate',
      'POST',
      '/workflow/task/delegate',
      appHeaders(ann),
      taskBo({ taskId: firstAgain[0].id, userId: bob.staffId!, comment: '请鲍审' }),
    );
    expect(delegated).toHaveProperty('data');

    // 拒绝任务 (reject): the instance ends rejected
    const b = await startOne(ann);
    const rejected = await replay(
      'reject',
      'POST',
      '/workflow/task/reject',
      appHeaders(bob),
      taskBo({ taskId: b.TaskId, comment: '不同意', procInsId: b.ProcessInstanceId }),
    );
    expect(rejected).toHaveProperty('data');
    expect(
      ok<{ status: string }>(await ann.http.get(`/api/v1/workflow/instances/${b.ProcessInstanceId}`)).status,
    ).toBe('rejected');

    // 取消任务 (stopProcess) by the initiator, then 删除任务 (delete) by an administrator
    const c = await startOne(ann);
    const stopped = await replay(
      'stopProcess',
      'POST',
      '/workflow/task/stopProcess',
      appHeaders(ann),
      taskBo({ taskId: c.TaskId, comment: '不需要了', procInsId: c.ProcessInstanceId }),
    );
    expect(stopped).toHaveProperty('data');
    expect(
      ok<{ status: string }>(await ann.http.get(`/api/v1/workflow/instances/${c.ProcessInstanceId}`)).status,
    ).toBe('stopped');
    // 取消任务 by procInsId alone: the TaskBo template's other fields sent empty, taskId "" included
    const d = await startOne(ann);
    const byInstance = await call(
      'POST',
      '/workflow/task/stopProcess',
      appHeaders(ann),
      taskBo({ taskId: '', comment: '撤销申请', procInsId: d.ProcessInstanceId }),
    );
    expect(byInstance).toMatchObject({
      http: 200,
      body: { code: 200, data: { TaskId: null, ProcessInstanceId: d.ProcessInstanceId } },
    });
    expect(
      ok<{ status: string }>(await ann.http.get(`/api/v1/workflow/instances/${d.ProcessInstanceId}`)).status,
    ).toBe('stopped');
    const deleted = await replay(
      'delete',
      'POST',
      '/workflow/task/delete',
      appHeaders(admin),
      taskBo({ taskId: c.TaskId, comment: '清理', procInsId: c.ProcessInstanceId }),
    );
    expect(deleted).toHaveProperty('data');
  });

  it('API概述 start/{processId}: the body is the flat variables map, which todoList shows in procVars (A-13)', async () => {
    // the todoList example's procVars carry field101: 1 — what a RuoYi-Flowable-Plus front end posts
    const flat = await call('POST', `/workflow/process/start/${definitionId}`, appHeaders(ann), {
      field101: 1,
    });
    expect(flat.body).toMatchObject({ code: 200, msg: '流程启动成功' });
    const started = flat.body.data as { TaskId: string; ProcessInstanceId: string };
    // the body form's wrapper is still read as a wrapper on the path form
    const wrapped = await call('POST', `/workflow/process/start/${definitionId}`, appHeaders(ann), {
      variables: { field101: 2 },
    });
    const wrappedId = (wrapped.body.data as { ProcessInstanceId: string }).ProcessInstanceId;
    const todo = await call('GET', '/workflow/process/todoList?pageNum=1&pageSize=50', appHeaders(bob));
    const procVars = (id: string) => todo.body.rows!.find((r) => r.procInsId === id)?.procVars;
    expect(procVars(started.ProcessInstanceId)).toEqual({
      field101: 1,
      processStatus: 'running',
      initiator: ann.staffId,
    });
    expect(procVars(wrappedId)).toEqual({ field101: 2, processStatus: 'running', initiator: ann.staffId });
    // a body that is not an object of variables is refused naming the field
    const bad = await call('POST', `/workflow/process/start/${definitionId}`, appHeaders(ann), [1, 2]);
    expect(bad.body).toMatchObject({ code: 4101 });
    expect(JSON.stringify(bad.body)).toContain('variables');
  });

  it('replays all 18 examples of the document (16 operations, 2 header sets)', () => {
    expect(new Set(replayed)).toEqual(
      new Set([
        'headers: service',
        'headers: app',
        'list',
        'getProcessForm',
        'WorkOrder/app/list',
        'synthesis/list',
        'start',
        '创建工单',
        'ownList',
        'todoList',
        'complete',
        'finishedList',
        'return',
        'transfer',
        'delegate',
        'reject',
        'stopProcess',
        'delete',
      ]),
    );
  });
});
