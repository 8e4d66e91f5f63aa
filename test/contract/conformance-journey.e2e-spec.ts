import {
  createStaff,
  type HttpClient,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { fixtureXml, ok } from '../workflow/workflow-helpers';
import { type Mismatch, type OpenApiDocument, ResponseConformance, summarize } from './openapi-conformance';

/*
 * The fuzz test mostly sees refusals; this journey sees successful answers. A day of a Flowdesk office
 * (departments, roles, staff, CRM organizations, customers, potentials, follow-ups, demands, contracts,
 * a process deployed, started, claimed and completed, work orders, notifications, reports), then every
 * GET of the document whose path the journey's records fill. Each answer must conform to the gateway's
 * own /docs-json for its operation and status (openapi-conformance.ts), as a client generated from it
 * or a Schemathesis run expects.
 */
describe('answers of a realistic journey conform to the OpenAPI document', () => {
  let stack: Stack;
  let conformance: ResponseConformance;
  let http: HttpClient;
  const mismatches: Mismatch[] = [];
  const statuses: number[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'conformance', gatewayEnv: { RATE_LIMIT_ENABLED: 'false' } });
    conformance = new ResponseConformance((await stack.http.get<OpenApiDocument>('/docs-json')).body);
    http = stack.http.observed((method, path, answer) => {
      statuses.push(answer.status);
      mismatches.push(
        ...(conformance.check({
          method,
          path,
          status: answer.status,
          contentType: answer.headers.get('content-type'),
          text: answer.text,
        }) ?? []),
      );
    });
  });
  afterAll(() => stack?.stop());

  it('every answer has a documented status, Content-Type and body', async () => {
    const admin: TestSession = await loginAsAdmin(http);
    const a = admin.http;
    const ids: Record<string, string> = { staff: admin.staffId };
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString();

    // identity: a department tree, a role, two members
    ids.departments = ok<{ id: string }>(await a.post('/api/v1/departments', { name: '一致部' })).id;
    ok(await a.post('/api/v1/departments', { name: '一致子部', parentId: ids.departments }));
    ids.roles = ok<{ id: string }>(
      await a.post('/api/v1/roles', {
        code: 'conf_sales',
        name: '销售',
        permissions: ['crm:read', 'crm:write', 'workflow:use'],
        dataScope: 'department',
      }),
    ).id;
    ids.groups = ok<{ id: string }>(await a.post('/api/v1/groups', { name: '审批组' })).id;
    const alice = await createStaff(a, {
      account: 'conf_alice',
      realName: '爱丽丝',
      phone: '13900000011',
      departmentId: ids.departments,
      roleIds: [ids.roles],
      groupIds: [ids.groups],
    });
    ok(await a.get(`/api/v1/staff/${alice.id}`));
    ok(await a.patch(`/api/v1/staff/${alice.id}`, { realName: '爱丽丝二' }));
    const aliceSession = await loginAs(http, alice.account, alice.password);
    ok(await aliceSession.http.get('/api/v1/me'));

    // CRM
    ids.organizations = ok<{ id: string }>(
      await a.post('/api/v1/crm/organizations', { name: '一致科技有限公司', region: '北京' }),
    ).id;
    ids.customers = ok<{ id: string }>(
      await a.post('/api/v1/crm/customers', {
        realName: '张三',
        phone: '13900000012',
        organizationIds: [ids.organizations],
      }),
    ).id;
    ids.potentials = ok<{ id: string }>(
      await a.post('/api/v1/crm/potentials', {
        organizationId: ids.organizations,
        directorId: admin.staffId,
        recordTime: day(-1),
      }),
    ).id;
    ids['follow-ups'] = ok<{ id: string }>(
      await a.post('/api/v1/crm/follow-ups', {
        potentialId: ids.potentials,
        customerIds: [ids.customers],
        followerIds: [admin.staffId],
        recordTime: day(-1),
        event: 2,
        gain: '有意向',
      }),
    ).id;
    await a.post('/api/v1/crm/demands', {
      organizationId: ids.organizations,
      customerIds: [ids.customers],
      followerIds: [admin.staffId],
      recordTime: day(-1),
      content: '增加席位',
    });
    await a.post('/api/v1/crm/contracts', {
      organizationId: ids.organizations,
      name: '年度合同',
      amount: 1000,
      signTime: day(-1),
      followerIds: [admin.staffId],
    });
    ok(await a.patch(`/api/v1/crm/customers/${ids.customers}`, { comment: '重要客户' }));

    // workflow: deploy, start, complete, a candidate task claimed and completed
    ids.deployments = ok<{ id: string }>(
      await a.post('/api/v1/workflow/deployments', { xml: fixtureXml('approval-chain.bpmn') }),
    ).id;
    ok(await a.post('/api/v1/workflow/deployments', { xml: fixtureXml('single-task.bpmn') }));
    const started = ok<{ id: string; tasks: { id: string }[] }>(
      await a.post('/api/v1/workflow/instances', {
        definitionKey: 'approvalChain',
        variables: { lead: admin.staffId, boss: [admin.staffId] },
      }),
    );
    ids.instances = started.id;
    ids.tasks = started.tasks[0].id;
    const next = ok<{ createdTasks: { id: string }[] }>(
      await a.post(`/api/v1/workflow/tasks/${ids.tasks}/complete`, { comment: '提交' }),
    );
    for (const task of next.createdTasks) {
      await a.post(`/api/v1/workflow/tasks/${task.id}/claim`, {});
      await a.post(`/api/v1/workflow/tasks/${task.id}/complete`, { comment: '同意' });
    }
    // a work order on the same process
    const order = await a.post<{ code: number; data: { id: string } }>('/api/v1/work-orders', {
      title: '打印机故障',
      systemId: 'it',
      definitionKey: 'singleTask',
      description: '三楼打印机卡纸',
      formData: { pool: ids.groups },
    });
    if (order.body?.data?.id) ids['work-orders'] = order.body.data.id;

    // every GET the journey's records can fill: lists, details, reports, notifications
    const document = (await stack.http.get<OpenApiDocument>('/docs-json')).body;
    const gets = Object.entries(document.paths)
      .filter(([path, item]) => item.get && path.startsWith('/api/v1/') && !path.endsWith('/events/stream'))
      .map(([path]) => path);
    let filled = 0;
    for (const path of gets) {
      let missing = false;
      const url = path.replace(/([^/]+)\/\{(\w+)\}/g, (whole, resource: string) => {
        const id = ids[resource];
        if (!id) missing = true;
        return `${resource}/${id}`;
      });
      if (missing || url.includes('{')) continue;
      filled++;
      await a.get(url);
    }
    process.stdout.write(
      `conformance journey: ${filled} GETs of ${gets.length}; ${conformance.answers} answers of ${conformance.seen.size} operations; ${mismatches.length} mismatches\n`,
    );
    const byStatus: Record<number, number> = {};
    for (const status of statuses) byStatus[status] = (byStatus[status] ?? 0) + 1;
    process.stdout.write(`conformance journey statuses: ${JSON.stringify(byStatus)}\n`);
    // the check itself bites: the staff detail with a number for its id, a missing msg, an HTML page
    const staff = await stack.http.get(`/api/v1/staff/${alice.id}`, { token: admin.accessToken });
    const broken = JSON.parse(staff.text) as { msg?: string; data: { id: unknown } };
    broken.data.id = 5;
    delete broken.msg;
    const probe = (text: string, contentType = 'application/json; charset=utf-8', status = 200) =>
      conformance
        .check({ method: 'GET', path: `/api/v1/staff/${alice.id}`, status, contentType, text })
        ?.map((m) => m.kind);
    expect(probe(staff.text)).toEqual([]);
    expect(probe(JSON.stringify(broken))).toEqual(['schema', 'schema']);
    expect(probe('<html></html>', 'text/html')).toEqual(['content-type']);
    expect(probe('{}', 'application/json', 418)).toEqual(['status']);
    expect(conformance.seen.size).toBeGreaterThan(90);
    expect(summarize(mismatches)).toEqual([]);
  }, 120_000);
});
