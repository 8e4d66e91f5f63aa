import {
  createStaff,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { complete, deploy, fixtureXml, instance, ok, start, type TaskView } from './workflow-helpers';

describe('workflow: countersign, categories, messages and signals, list filters', () => {
  let stack: Stack;
  let admin: TestSession;
  let signers: TestSession[];

  beforeAll(async () => {
    stack = await startStack({ label: 'workflow_more' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    signers = [];
    for (const account of ['s1', 's2', 's3', 'a1', 'a2']) {
      const member = await createStaff(admin.http, { account, roleIds: [staff] });
      signers.push(await loginAs(stack.http, member.account, member.password));
    }
  });
  afterAll(() => stack?.stop());

  it('all-sign (会签) needs every signer; any-sign (或签) ends with the first approval', async () => {
    await deploy(admin.http, fixtureXml('countersign.bpmn'));
    const [s1, s2, s3, a1, a2] = signers;
    const started = await start(admin.http, {
      definitionKey: 'countersign',
      variables: { signers: [s1.staffId, s2.staffId, s3.staffId], approvers: [a1.staffId, a2.staffId] },
    });
    expect(started.tasks.map((t) => t.assigneeId).sort()).toEqual([s1, s2, s3].map((s) => s.staffId).sort());
    const task = (who: TestSession, tasks: TaskView[]) => tasks.find((t) => t.assigneeId === who.staffId)!;
    expect((await complete(s1.http, task(s1, started.tasks).id)).createdTasks).toEqual([]);
    expect((await complete(s2.http, task(s2, started.tasks).id)).createdTasks).toEqual([]);
    const anySign = (await complete(s3.http, task(s3, started.tasks).id)).createdTasks;
    expect(anySign.map((t) => t.assigneeId).sort()).toEqual([a1.staffId, a2.staffId].sort());
    expect(anySign.every((t) => t.multiInstance?.total === 2)).toBe(true);
    expect((await complete(a2.http, task(a2, anySign).id)).instanceStatus).toBe('completed');
    const other = await a1.http.post(`/api/v1/workflow/tasks/${task(a1, anySign).id}/complete`, {});
    expect(other.body).toMatchObject({ code: 4090 });
  });

  it('categories group definitions and filter lists', async () => {
    ok(await admin.http.post('/api/v1/workflow/categories', { code: 'hr', name: '人事', sortOrder: 1 }));
    const dup = await admin.http.post('/api/v1/workflow/categories', { code: 'hr', name: 'again' });
    expect(dup.body).toMatchObject({ code: 4090, reason: 'CATEGORY_EXISTS' });
    const bad = await admin.http.post('/api/v1/workflow/deployments', {
      xml: fixtureXml('single-task.bpmn'),
      category: 'nope',
    });
    expect(bad.body).toMatchObject({ code: 4101 });
    const def = await deploy(admin.http, fixtureXml('single-task.bpmn'), {
      category: 'hr',
      serialCode: 'HR01',
    });
    const listed = ok<{ rows: { id: string; category: string }[] }>(
      await admin.http.get('/api/v1/workflow/definitions?category=hr'),
    );
    expect(listed.rows.map((r) => r.id)).toEqual([def.id]);
    const categories = ok<{ id: string; code: string }[]>(
      await admin.http.get('/api/v1/workflow/categories'),
    );
    const hr = categories.find((c) => c.code === 'hr')!;
    const inUse = await admin.http.delete(`/api/v1/workflow/categories/${hr.id}`);
    expect(inUse.body).toMatchObject({ code: 4090, reason: 'CATEGORY_IN_USE' });

    const started = await start(admin.http, {
      definitionKey: 'singleTask',
      variables: { pool: 'role:super_admin' },
    });
    expect(started.serialNo).toMatch(/^HR01_\d{6}_0001$/);
    const byCategory = ok<{ rows: TaskView[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=todo&category=hr'),
    );
    expect(byCategory.rows.map((t) => t.instanceId)).toContain(started.id);
    const none = ok<{ rows: TaskView[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=todo&category=finance'),
    );
    expect(none.rows).toEqual([]);
  });

  it('task lists filter by process name, key and the instance start-time range (seed 004)', async () => {
    const byName = ok<{ rows: TaskView[] }>(
      await admin.http.get(`/api/v1/workflow/tasks?scope=todo&processName=${encodeURIComponent('Single')}`),
    );
    expect(byName.rows.length).toBeGreaterThan(0);
    expect(byName.rows.every((t) => t.name === 'Approve' || t.name === 'Second')).toBe(true);
    const byKey = ok<{ rows: TaskView[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=todo&processKey=countersign'),
    );
    expect(byKey.rows).toEqual([]);
    const future = ok<{ total: number }>(
      await admin.http.get(
        `/api/v1/workflow/tasks?scope=todo&startedFrom=${encodeURIComponent('2999-01-01 00:00:00')}`,
      ),
    );
    expect(future.total).toBe(0);
    const past = ok<{ total: number }>(
      await admin.http.get(
        `/api/v1/workflow/tasks?scope=todo&startedFrom=${encodeURIComponent('2000-01-01 00:00:00')}`,
      ),
    );
    expect(past.total).toBeGreaterThan(0);
    const bad = await admin.http.get('/api/v1/workflow/tasks?scope=todo&startedFrom=yesterday');
    expect(bad.body).toMatchObject({ code: 4101, errors: [{ field: 'beginTime' }] });
    const paged = ok<{ total: number; pageSize: number; rows: unknown[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=todo&pageSize=1'),
    );
    expect(paged.rows).toHaveLength(1);
    expect(paged.pageSize).toBe(1);
    // the total is every match, whether the page is full, the last one, or past the end
    const all = ok<{ total: number; rows: unknown[] }>(
      await admin.http.get('/api/v1/workflow/tasks?scope=todo&pageSize=200'),
    );
    expect(all.rows).toHaveLength(all.total);
    expect(paged.total).toBe(all.total);
    const beyond = ok<{ total: number; rows: unknown[] }>(
      await admin.http.get(`/api/v1/workflow/tasks?scope=todo&pageSize=1&pageNum=${all.total + 1}`),
    );
    expect(beyond).toMatchObject({ total: all.total, rows: [] });
    const definitions = ok<{ total: number; rows: unknown[] }>(
      await admin.http.get('/api/v1/workflow/definitions?pageSize=200'),
    );
    expect(definitions.rows).toHaveLength(definitions.total);
    const firstDefinition = ok<{ total: number; rows: unknown[] }>(
      await admin.http.get('/api/v1/workflow/definitions?pageSize=1'),
    );
    expect(firstDefinition).toMatchObject({ total: definitions.total });
    expect(firstDefinition.rows).toEqual(definitions.rows.slice(0, 1));
  });

  it('messages and signals move an instance: receive task, boundary message, intermediate signal', async () => {
    await deploy(admin.http, fixtureXml('order-messages.bpmn'));
    const order = await start(admin.http, { definitionKey: 'orderMessages' });
    expect(order.tasks).toEqual([]);
    const wrong = await admin.http.post(`/api/v1/workflow/instances/${order.id}/messages`, {
      name: 'NoSuchMessage',
    });
    expect(wrong.body).toMatchObject({ code: 4101 });
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${order.id}/messages`, {
        name: 'PaymentReceived',
        variables: { paid: 99 },
      }),
    );
    const shipping = await instance(admin.http, order.id);
    expect(shipping.tasks.map((t) => t.name)).toEqual(['Ship order']);
    expect(shipping.variables).toMatchObject({ paid: 99 });
    await complete(admin.http, shipping.tasks[0].id);
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${order.id}/messages`, {
        kind: 'signal',
        name: 'HolidayOver',
      }),
    );
    expect((await instance(admin.http, order.id)).status).toBe('completed');

    const cancelled = await start(admin.http, { definitionKey: 'orderMessages' });
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${cancelled.id}/messages`, {
        name: 'PaymentReceived',
      }),
    );
    ok(
      await admin.http.post(`/api/v1/workflow/instances/${cancelled.id}/messages`, {
        name: 'OrderCancelled',
      }),
    );
    const detail = await instance(admin.http, cancelled.id);
    expect(detail.status).toBe('completed');
    expect(detail.history!.map((h) => h.elementId)).toContain('cancelEnd');
  });
});
