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
  type EnvelopeBody,
} from '@app/testing';
import { deploy, ok } from '../workflow/workflow-helpers';

interface WorkOrder {
  id: string;
  number: string;
  status: string;
  instanceId: string | null;
  formData: Record<string, unknown>;
  attachmentUrls: string[];
  currentNodes: string[];
  openTasks: {
    id: string;
    elementId: string;
    name: string;
    assigneeId: string | null;
    formKey: string | null;
  }[];
  timeline: { kind: string; elementId: string | null; text: string }[];
}

const REPORT = {
  custName: '江西某科技公司',
  lastVisitDate: '2026-11-20',
  opportunityType: '云网融合',
  custBusinessNeeds: '专线 + 云主机',
  isNeedSupport: '是',
  isSigned: '否',
  isAccepted: '否',
  accNbr: '0791-88886666',
  memo: '重点客户',
  expectedRevenueIncreasePerMonth: 12000.5,
};

describe('work orders: forms, the seed-000 opportunity report and the seed-002 launch model', () => {
  let stack: Stack;
  let admin: TestSession;
  let town: TestSession;
  let city: TestSession;
  let reporter: TestSession;

  beforeAll(async () => {
    stack = await startStack({ label: 'work_orders' });
    admin = await loginAsAdmin(stack.http);
    for (const key of ['opportunityReport', 'ztbxx01'])
      ok(await admin.http.post(`/api/v1/work-order-templates/${key}/deploy`, {}), `deploy ${key}`);
    const townRole = await createRole(admin.http, {
      code: 'town_branch_leader',
      permissions: [],
      dataScope: 'own',
    });
    const cityRole = await createRole(admin.http, {
      code: 'city_gov_enterprise',
      permissions: [],
      dataScope: 'own',
    });
    const t = await createStaff(admin.http, { account: 'town1', roleIds: [townRole] });
    const c = await createStaff(admin.http, { account: 'city1', roleIds: [cityRole] });
    const r = await createStaff(admin.http, { account: 'reporter1' });
    town = await loginAs(stack.http, t.account, t.password);
    city = await loginAs(stack.http, c.account, c.password);
    reporter = await loginAs(stack.http, r.account, r.password);
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS)
      console.log(stack?.gateway.logs().slice(-5000), stack?.workflow.logs().slice(-5000));
    await stack?.stop();
  });

  const create = (s: TestSession, formData: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    s.http.post<EnvelopeBody<WorkOrder>>('/api/v1/work-orders', {
      title: `商机 ${formData.custName as string}`,
      systemId: 'opportunity',
      definitionKey: 'opportunityReport',
      formData,
      ...extra,
    });
  const handle = async (
    s: TestSession,
    order: WorkOrder,
    elementId: string,
    data: Record<string, unknown>,
  ) => {
    const task = order.openTasks.find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open ${elementId}: ${JSON.stringify(order.openTasks)}`);
    return ok<WorkOrder>(
      await s.http.post<never>(`/api/v1/work-orders/${order.id}/handle`, {
        taskId: task.id,
        data,
        comment: 'ok',
      }),
      `handle ${elementId}`,
    );
  };

  it('exposes the start form (form-js) of the built-in flow, with all 15 fields across its forms', async () => {
    const form = ok<{ formKey: string; form: { schema: { components: { key?: string }[] } } }>(
      await reporter.http.get('/api/v1/forms/process?definitionKey=opportunityReport'),
    );
    expect(form.formKey).toBe('opportunity-report');
    const keys = new Set(form.form.schema.components.map((c) => c.key));
    for (const stage of [
      'opportunity-town-approval',
      'opportunity-city-approval',
      'opportunity-collaboration',
      'opportunity-marketing',
      'opportunity-delivery',
    ]) {
      const f = ok<{ schema: { components: { key: string }[] } }>(
        await reporter.http.get(`/api/v1/forms/${stage}`),
      );
      f.schema.components.forEach((c) => keys.add(c.key));
    }
    expect([...keys].sort()).toEqual(
      [
        'custName',
        'lastVisitDate',
        'opportunityType',
        'custBusinessNeeds',
        'isNeedSupport',
        'isSigned',
        'isAccepted',
        'accNbr',
        'memo',
        'isSubstLeaderApprove',
        'isZhengQiApprove',
        'boCollaborationOrderNo',
        'isMarketingSuccess',
        'deliveryConfirmLetter',
        'expectedRevenueIncreasePerMonth',
      ].sort(),
    );
  });

  it('refuses invalid form data per field, and creates nothing', async () => {
    const bad = await create(reporter, {
      ...REPORT,
      custName: '',
      lastVisitDate: '20/11/2026',
      isNeedSupport: 'maybe',
      accNbr: 'x y',
      expectedRevenueIncreasePerMonth: -1,
    });
    expect(bad.status).toBe(400);
    const body = bad.body as unknown as { code: number; errors: { field: string; reason: string }[] };
    expect(body.code).toBe(4101);
    expect(body.errors.map((e) => e.field).sort()).toEqual(
      ['accNbr', 'custName', 'expectedRevenueIncreasePerMonth', 'isNeedSupport', 'lastVisitDate'].sort(),
    );
    const mine = ok<{ total: number }>(await reporter.http.get('/api/v1/work-orders?scope=mine'));
    expect(mine.total).toBe(0);
  });

  it('runs a work order through the opportunity-report flow to completion', async () => {
    let order = ok<WorkOrder>(await create(reporter, REPORT), 'create');
    expect(order.status).toBe('running');
    expect(order.number).toMatch(/^SJSB_\d{6}_\d{4}$/);
    expect(order.openTasks.map((t) => t.elementId)).toEqual(['townLeaderApproval']);
    // the list names the node the order is at, as its detail does (the console's 当前节点 column)
    const listed = ok<{ rows: WorkOrder[] }>(await reporter.http.get('/api/v1/work-orders?scope=mine'));
    expect(listed.rows.find((r) => r.id === order.id)?.currentNodes).toEqual(
      order.openTasks.map((t) => t.name),
    );

    // the reporter cannot handle the leader's task; a stage form is checked too
    const task = order.openTasks[0];
    expect(
      (
        await reporter.http.post(`/api/v1/work-orders/${order.id}/handle`, {
          taskId: task.id,
          data: { isSubstLeaderApprove: '是' },
        })
      ).status,
    ).toBe(403);
    const asTown = ok<WorkOrder>(await town.http.get(`/api/v1/work-orders/${order.id}`));
    const invalid = await town.http.post(`/api/v1/work-orders/${order.id}/handle`, {
      taskId: task.id,
      data: { isSubstLeaderApprove: 'ok' },
    });
    expect((invalid.body as unknown as { errors: { field: string }[] }).errors).toEqual([
      { field: 'isSubstLeaderApprove', reason: expect.stringContaining('one of') },
    ]);

    order = await handle(town, asTown, 'townLeaderApproval', { isSubstLeaderApprove: '是' });
    order = ok<WorkOrder>(await city.http.get(`/api/v1/work-orders/${order.id}`));
    order = await handle(city, order, 'cityApproval', { isZhengQiApprove: '是' });
    order = ok<WorkOrder>(await reporter.http.get(`/api/v1/work-orders/${order.id}`));
    order = await handle(reporter, order, 'collaborationOrder', { boCollaborationOrderNo: 'XT-2026-0001' });
    order = await handle(reporter, order, 'marketingOutcome', { isMarketingSuccess: '是' });
    order = await handle(reporter, order, 'deliveryConfirmation', { deliveryConfirmLetter: 'JF-0001' });

    expect(order.status).toBe('completed');
    expect(order.openTasks).toEqual([]);
    expect(order.formData).toMatchObject({
      ...REPORT,
      isSubstLeaderApprove: '是',
      isZhengQiApprove: '是',
      boCollaborationOrderNo: 'XT-2026-0001',
      isMarketingSuccess: '是',
      deliveryConfirmLetter: 'JF-0001',
    });
    expect(order.timeline.filter((t) => t.kind === 'node').map((t) => t.elementId)).toEqual(
      expect.arrayContaining([
        'townLeaderApproval',
        'cityApproval',
        'collaborationOrder',
        'marketingOutcome',
        'deliveryConfirmation',
        'endDelivered',
      ]),
    );

    // the instance form with data, evaluation once, print view
    const form = ok<{ data: Record<string, unknown> }>(
      await reporter.http.get(`/api/v1/forms/process?instanceId=${order.instanceId}`),
    );
    expect(form.data).toMatchObject({ custName: REPORT.custName, deliveryConfirmLetter: 'JF-0001' });
    ok(
      await reporter.http.post(`/api/v1/work-orders/${order.id}/evaluate`, { score: 5, comment: '很好' }),
      'evaluate',
    );
    expect((await reporter.http.post(`/api/v1/work-orders/${order.id}/evaluate`, { score: 4 })).status).toBe(
      409,
    );
    const print = await reporter.http.get(`/api/v1/work-orders/${order.id}/print`);
    expect(print.status).toBe(200);
    expect(print.text).toContain('<!DOCTYPE html>');
    expect(print.text).toContain(order.number);
    expect(print.text).toContain('江西某科技公司');

    const list = ok<{ rows: WorkOrder[] }>(await reporter.http.get('/api/v1/work-orders?status=completed'));
    expect(list.rows.map((r) => r.id)).toContain(order.id);
    // someone unrelated does not see it
    const other = await createStaff(admin.http, { account: 'stranger' });
    const stranger = await loginAs(stack.http, other.account, other.password);
    expect((await stranger.http.get(`/api/v1/work-orders/${order.id}`)).status).toBe(404);
    expect(ok<{ total: number }>(await stranger.http.get('/api/v1/work-orders')).total).toBe(0);
  });

  it('close stops a running order; admin intervention reassigns and terminates', async () => {
    const first = ok<WorkOrder>(await create(reporter, { ...REPORT, custName: 'A' }));
    const closed = ok<WorkOrder>(
      await reporter.http.post(`/api/v1/work-orders/${first.id}/close`, { reason: '客户取消' }),
    );
    expect(closed.status).toBe('discarded');
    const second = ok<WorkOrder>(await create(reporter, { ...REPORT, custName: 'B' }));
    expect(
      (await reporter.http.post(`/api/v1/work-orders/${second.id}/intervene`, { action: 'terminate' }))
        .status,
    ).toBe(403);
    const other = await createStaff(admin.http, { account: 'town2' });
    const moved = ok<WorkOrder>(
      await admin.http.post(`/api/v1/work-orders/${second.id}/intervene`, {
        action: 'reassign',
        taskId: second.openTasks[0].id,
        userId: other.id,
      }),
    );
    expect(moved.openTasks[0].assigneeId).toBe(other.id);
    const ended = ok<WorkOrder>(
      await admin.http.post(`/api/v1/work-orders/${second.id}/intervene`, {
        action: 'terminate',
        comment: '重复工单',
      }),
    );
    expect(ended.status).toBe('discarded');
  });

  it('a rejected order follows its relaunched process and runs again', async () => {
    const order = ok<WorkOrder>(await create(reporter, { ...REPORT, custName: 'R' }));
    const task = order.openTasks[0];
    ok(await town.http.post(`/api/v1/workflow/tasks/${task.id}/reject`, { comment: '资料不全' }), 'reject');
    expect(ok<WorkOrder>(await reporter.http.get(`/api/v1/work-orders/${order.id}`)).status).toBe('rejected');
    const again = ok<{ id: string }>(
      await reporter.http.post(`/api/v1/workflow/instances/${order.instanceId}/relaunch`, {
        variables: { custBusinessNeeds: '专线 (补充资料)' },
      }),
      'relaunch',
    );
    const followed = ok<WorkOrder>(await reporter.http.get(`/api/v1/work-orders/${order.id}`));
    expect(followed).toMatchObject({ instanceId: again.id, status: 'running', number: order.number });
    expect(followed.openTasks.map((t) => t.elementId)).toEqual(['townLeaderApproval']);
  });

  it('a work order starts its process only for the candidate starters the BPMN names', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <process id="townOnly" isExecutable="true" camunda:candidateStarterUsers="${town.staffId}">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t1" />
    <userTask id="t1" name="Do" camunda:assignee="${town.staffId}" /><sequenceFlow id="f2" sourceRef="t1" targetRef="e" />
    <endEvent id="e" />
  </process>
</definitions>`;
    await deploy(admin.http, xml);
    const order = { title: '限定发起人', systemId: 'oa', definitionKey: 'townOnly' };
    const refused = await reporter.http.post<EnvelopeBody>('/api/v1/work-orders', order);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe(4001);
    expect(
      ok<{ total: number }>(await admin.http.get('/api/v1/work-orders?definitionKey=townOnly')).total,
    ).toBe(0);
    expect(ok<WorkOrder>(await town.http.post('/api/v1/work-orders', order)).status).toBe('running');
  });

  it('types and synthesis categories (tree) classify work orders and bind processes', async () => {
    const root = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-categories', { name: '33-工单-综合' }),
    );
    const child = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-categories', {
        name: '商机',
        parentId: root.id,
        definitionKey: 'opportunityReport',
      }),
    );
    expect(
      (await admin.http.patch(`/api/v1/work-order-categories/${root.id}`, { name: 'x', parentId: child.id }))
        .status,
    ).toBe(400);
    const tree = ok<{ id: string; children: { id: string }[] }[]>(
      await reporter.http.get('/api/v1/work-order-categories'),
    );
    expect(tree.find((n) => n.id === root.id)?.children.map((c) => c.id)).toEqual([child.id]);
    const type = ok<{ id: string }>(
      await admin.http.post('/api/v1/work-order-types', { name: '统一工单中心', appCode: 'wo' }),
    );
    const order = ok<WorkOrder & { categoryId: string }>(
      await reporter.http.post('/api/v1/work-orders', {
        title: 'by category',
        systemId: 's',
        categoryId: child.id,
        typeId: type.id,
        formData: REPORT,
      }),
    );
    expect(order.categoryId).toBe(child.id);
    expect(
      ok<{ total: number }>(await reporter.http.get(`/api/v1/work-orders?categoryId=${child.id}`)).total,
    ).toBe(1);
    expect((await admin.http.delete(`/api/v1/work-order-categories/${child.id}`)).status).toBe(409);
  });

  it('a category deleted while a sub-category is added under it: one of the two is refused, no orphan is left', async () => {
    type Node = { id: string; children: Node[] };
    const ids = (nodes: Node[]): string[] => nodes.flatMap((n) => [n.id, ...ids(n.children)]);
    for (let round = 0; round < 5; round++) {
      const parent = ok<{ id: string }>(
        await admin.http.post('/api/v1/work-order-categories', { name: `竞删分类${round}` }),
      );
      // each checked the other's row before either committed: the delete saw no child, the child saw its parent
      const [deleted, added] = await Promise.all([
        admin.http.delete(`/api/v1/work-order-categories/${parent.id}`),
        admin.http.post<{ data: { id: string } }>('/api/v1/work-order-categories', {
          name: `竞删子类${round}`,
          parentId: parent.id,
        }),
      ]);
      expect([deleted.status, added.status].sort()).toEqual(added.status === 200 ? [200, 409] : [200, 400]);
      if (added.status === 200)
        expect(ids(ok<Node[]>(await admin.http.get('/api/v1/work-order-categories')))).toContain(
          added.body.data.id,
        );
    }
  });

  it('a category or type deleted while a work order is created with it: one of the two is refused, no order keeps a deleted id', async () => {
    type Answer = { status: number; body: { code?: number; errors?: { field: string }[] } };
    const outcome = (deleted: Answer, created: Answer) =>
      deleted.status === 200
        ? { deleted: 200, created: [created.status, created.body.code, created.body.errors?.[0]?.field] }
        : { deleted: [deleted.status, deleted.body.code], created: created.status };
    for (let round = 0; round < 6; round++) {
      const category = ok<{ id: string }>(
        await admin.http.post('/api/v1/work-order-categories', {
          name: `竞删工单分类${round}`,
          definitionKey: 'opportunityReport',
        }),
      );
      const type = ok<{ id: string }>(
        await admin.http.post('/api/v1/work-order-types', { name: `竞删工单类型${round}` }),
      );
      // both checked the other's rows before either committed: the delete saw no order, the order its category
      for (const [field, path, id] of [
        ['categoryId', 'work-order-categories', category.id],
        ['typeId', 'work-order-types', type.id],
      ] as const) {
        const [deleted, created] = await Promise.all([
          admin.http.delete(`/api/v1/${path}/${id}`),
          create(reporter, REPORT, { [field]: id }),
        ]);
        expect([
          { deleted: 200, created: [400, 4101, field] },
          { deleted: [409, 4090], created: 200 },
        ]).toContainEqual(outcome(deleted as Answer, created as Answer));
      }
    }
    const db = new Client({ connectionString: stack.db.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>(
        `SELECT w.id FROM workflow.work_order w
          WHERE (w.category_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM workflow.work_order_category c WHERE c.id = w.category_id))
             OR (w.type_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM workflow.work_order_type t WHERE t.id = w.type_id))`,
      );
      expect(rows).toEqual([]);
    } finally {
      await db.end();
    }
  });

  it('seed 002: launch saved form data by flow code with a serial number; audit opens tasks for department managers; audit can jump', async () => {
    const m1 = await createStaff(admin.http, { account: 'mgr_service' });
    const m2 = await createStaff(admin.http, { account: 'mgr_tech' });
    const d1 = await createDepartment(admin.http, '客服部');
    const d2 = await createDepartment(admin.http, '技术部');
    ok(await admin.http.patch(`/api/v1/departments/${d1}`, { managerId: m1.id }), 'manager 1');
    ok(await admin.http.patch(`/api/v1/departments/${d2}`, { managerId: m2.id }), 'manager 2');

    const draft = ok<WorkOrder>(
      await reporter.http.post('/api/v1/work-orders', {
        title: '看板',
        systemId: 'kanban',
        definitionKey: 'ztbxx01',
        draft: true,
        formData: { subject: '采购申请', amount: 100 },
      }),
    );
    expect(draft.status).toBe('draft');
    const launched = ok<WorkOrder>(
      await reporter.http.post('/api/v1/work-orders/launch', { flowCode: 'ztbxx01', dataId: draft.id }),
    );
    expect(launched.number).toMatch(/^ztbxx01_\d{6}_0001$/);
    expect(launched.status).toBe('running');
    expect(
      (await reporter.http.post('/api/v1/work-orders/launch', { flowCode: 'ztbxx01', dataId: draft.id }))
        .status,
    ).toBe(409);

    const unknown = await admin.http.post(`/api/v1/work-orders/${launched.id}/audit`, {
      taskDeptManager: '客服部,不存在部',
    });
    expect((unknown.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'taskDeptManager[1]',
    ]);

    const audited = ok<WorkOrder>(
      await admin.http.post(`/api/v1/work-orders/${launched.id}/audit`, {
        taskDeptManager: '客服部,技术部',
        comment: '同意',
        data: { auditOpinion: '同意' },
      }),
    );
    expect(
      audited.openTasks
        .filter((t) => t.elementId === 'deptManagerAudit')
        .map((t) => t.assigneeId)
        .sort(),
    ).toEqual([m1.id, m2.id].sort());

    // a supplied serial number, and an audit that jumps straight to a node
    const second = ok<WorkOrder>(
      await reporter.http.post('/api/v1/work-orders', {
        title: '看板2',
        systemId: 'kanban',
        definitionKey: 'ztbxx01',
        draft: true,
        formData: { subject: '报销' },
      }),
    );
    const withNumber = ok<WorkOrder>(
      await reporter.http.post('/api/v1/work-orders/launch', {
        flowCode: 'ztbxx01',
        dataId: second.id,
        flowRunningNumber: 'ztbxx_abc001',
      }),
    );
    expect(withNumber.number).toBe('ztbxx_abc001');
    const jumped = ok<WorkOrder>(
      await admin.http.post(`/api/v1/work-orders/${withNumber.id}/audit`, {
        nextNodeSeq: 'archive',
        comment: '直接归档',
      }),
    );
    expect(jumped.openTasks.map((t) => t.elementId)).toEqual(['archive']);
    // the audit task itself is done (approved), not cancelled: complete + jump in one step
    const auditTasks = ok<{ rows: { instanceId: string; status: string; outcome: string | null }[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=done&pageSize=200'),
    ).rows.filter((t) => t.instanceId === withNumber.instanceId);
    expect(auditTasks).toEqual([expect.objectContaining({ status: 'completed', outcome: 'approved' })]);
    // a draft with invalid data is refused at launch, per field
    const broken = ok<WorkOrder>(
      await reporter.http.post('/api/v1/work-orders', {
        title: '看板3',
        systemId: 'kanban',
        definitionKey: 'ztbxx01',
        draft: true,
        formData: { amount: -5 },
      }),
    );
    const refused = await reporter.http.post('/api/v1/work-orders/launch', { dataId: broken.id });
    expect(
      (refused.body as unknown as { errors: { field: string }[] }).errors.map((e) => e.field).sort(),
    ).toEqual(['amount', 'subject']);
  });

  it("attachmentUrls: absolute http(s) addresses or the platform's own attachment references, bounded; else 4101 naming the index", async () => {
    const fields = async (attachmentUrls: unknown) => {
      const answer = await create(reporter, REPORT, { attachmentUrls });
      expect(answer.status).toBe(400);
      const body = answer.body as unknown as { code: number; errors: { field: string }[] };
      expect(body.code).toBe(4101);
      return body.errors.map((e) => e.field);
    };
    const own = await attachmentOf(reporter);
    const good = ['https://files.example.com/合同.pdf', 'http://10.0.0.8:8080/a?b=1', own];
    expect(await fields([...good, 'javascript:alert(1)'])).toEqual(['attachmentUrls[3]']);
    expect(await fields(['https://x.example/' + 'a'.repeat(100 * 1024)])).toEqual(['attachmentUrls[0]']);
    for (const bad of [
      'data:text/html,<b>x</b>',
      '//evil.example/x',
      'ftp://files.example/a',
      '/api/v1/attachments/x/content',
      ' https://a.example/',
    ])
      expect(await fields(['https://a.example/ok', bad])).toEqual(['attachmentUrls[1]']);
    const order = ok<WorkOrder>(
      await create(reporter, REPORT, { attachmentUrls: good }),
      'create with attachments',
    );
    expect(order.attachmentUrls).toEqual(good);
  });

  it("an attachment reference must be a file the caller can see: another member's (of a record out of their scope) or a missing one is 4101 naming its index", async () => {
    const r2 = await createStaff(admin.http, { account: 'reporter2' });
    const other = await loginAs(stack.http, r2.account, r2.password);
    const theirs = await attachmentOf(other);
    // the reporter cannot open it: its work order is not theirs
    expect((await reporter.http.get(theirs)).status).toBe(404);
    const own = await attachmentOf(reporter);
    const answer = await create(reporter, REPORT, {
      attachmentUrls: [own, theirs, '/api/v1/attachments/999999999/content', 'https://a.example/x'],
    });
    const body = answer.body as unknown as { code: number; errors: { field: string }[] };
    expect([answer.status, body.code, body.errors.map((e) => e.field)]).toEqual([
      400,
      4101,
      ['attachmentUrls[1]', 'attachmentUrls[2]'],
    ]);
    // its owner may link it
    ok<WorkOrder>(await create(other, REPORT, { attachmentUrls: [theirs] }), 'own reference');
  });

  /** A file on a new work order of `s`: its reference (`/api/v1/attachments/{id}/content`). */
  const attachmentOf = async (s: TestSession) => {
    const order = ok<WorkOrder>(await create(s, REPORT), 'work order for a file');
    const form = new FormData();
    form.append('file', new Blob(['现场照片说明']), 'note.txt');
    const uploaded = await s.http.request<EnvelopeBody<{ url: string }>>(
      'POST',
      `/api/v1/work-orders/${order.id}/attachments`,
      { rawBody: form },
    );
    return ok(uploaded, 'upload').url;
  };
});
