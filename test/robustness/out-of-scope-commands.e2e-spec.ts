import {
  createDepartment,
  createStaff,
  type EnvelopeBody,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, fixtureXml, ok } from '../workflow/workflow-helpers';

interface Started {
  id: string;
  tasks: { id: string; elementId: string }[];
}

/**
 * Authorization (issue 19): a command on a task, instance or work order outside the caller's view
 * answers exactly as a read does (404, the same body shape), so nothing reveals that it exists or who
 * holds it; someone who may see it still gets the meaningful 4001 / 4090.
 */
describe('commands on out-of-scope records answer 404 like a read', () => {
  let stack: Stack;
  let admin: TestSession;
  let ann: TestSession; // initiator and a candidate of the task (department A)
  let carl: TestSession; // candidate of the task (department A)
  let bob: TestSession; // stranger (department B)
  let carlId: string;
  let started: Started;
  let workOrderId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'out_of_scope' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const [deptA, deptB] = [
      await createDepartment(admin.http, 'A19'),
      await createDepartment(admin.http, 'B19'),
    ];
    const a = await createStaff(admin.http, { account: 'ann19s', departmentId: deptA, roleIds: [staff] });
    const c = await createStaff(admin.http, { account: 'carl19s', departmentId: deptA, roleIds: [staff] });
    const b = await createStaff(admin.http, { account: 'bob19s', departmentId: deptB, roleIds: [staff] });
    [ann, carl, bob] = await Promise.all([
      loginAs(stack.http, a.account, a.password),
      loginAs(stack.http, c.account, c.password),
      loginAs(stack.http, b.account, b.password),
    ]);
    carlId = c.id;
    await deploy(admin.http, fixtureXml('single-task.bpmn'));
    started = ok<Started>(
      await ann.http.post('/api/v1/workflow/instances', {
        definitionKey: 'singleTask',
        variables: { pool: `dept:${deptA}` },
      }),
      'start',
    );
    workOrderId = ok<{ id: string }>(
      await ann.http.post('/api/v1/work-orders', {
        title: 'scope',
        systemId: 's',
        definitionKey: 'singleTask',
        formData: { pool: `dept:${deptA}` },
      }),
      'work order',
    ).id;
  });
  afterAll(async () => {
    if (process.env.SHOW_LOGS) console.log(stack?.workflow.logs().slice(-6000));
    await stack?.stop();
  });

  const taskCommands = (taskId: string): [string, string, object][] => [
    ['POST', `/api/v1/workflow/tasks/${taskId}/claim`, {}],
    ['POST', `/api/v1/workflow/tasks/${taskId}/unclaim`, {}],
    ['POST', `/api/v1/workflow/tasks/${taskId}/complete`, { comment: 'x' }],
    ['POST', `/api/v1/workflow/tasks/${taskId}/reject`, { comment: 'x' }],
    ['POST', `/api/v1/workflow/tasks/${taskId}/return`, { targetElementId: 'approve' }],
    ['POST', `/api/v1/workflow/tasks/${taskId}/return`, { targetElementId: 'approve', dryRun: true }],
    ['POST', `/api/v1/workflow/tasks/${taskId}/delegate`, { userId: carlId }],
    ['POST', `/api/v1/workflow/tasks/${taskId}/resolve`, {}],
    ['POST', `/api/v1/workflow/tasks/${taskId}/transfer`, { userId: carlId }],
  ];
  const instanceCommands = (id: string): [string, string, object][] => [
    ['POST', `/api/v1/workflow/instances/${id}/stop`, { comment: 'x' }],
    ['POST', `/api/v1/workflow/instances/${id}/discard`, { comment: 'x' }],
    ['DELETE', `/api/v1/workflow/instances/${id}`, {}],
    ['POST', `/api/v1/workflow/instances/${id}/relaunch`, {}],
    ['POST', `/api/v1/workflow/instances/${id}/revoke`, {}],
    ['POST', `/api/v1/workflow/instances/${id}/urge`, { comment: 'x' }],
    ['POST', `/api/v1/workflow/instances/${id}/jump`, { targetElementId: 'second' }],
    ['POST', `/api/v1/workflow/instances/${id}/signers`, { elementId: 'approve', userId: carlId }],
    ['DELETE', `/api/v1/workflow/instances/${id}/signers`, { elementId: 'approve', userId: carlId }],
    ['POST', `/api/v1/workflow/instances/${id}/messages`, { name: 'anything' }],
  ];
  const workOrderCommands = (id: string): [string, string, object][] => [
    ['POST', `/api/v1/work-orders/${id}/handle`, { taskId: '1', data: {} }],
    ['POST', `/api/v1/work-orders/${id}/audit`, { data: {} }],
    ['POST', `/api/v1/work-orders/${id}/close`, { reason: 'x' }],
    ['POST', `/api/v1/work-orders/${id}/evaluate`, { score: 5 }],
    ['POST', `/api/v1/work-orders/${id}/intervene`, { action: 'terminate' }],
    ['GET', `/api/v1/work-orders/${id}/print`, {}],
  ];

  /** Each call answers 404 with the same code as the read of that record (and a missing id). */
  async function expectAllNotFound(who: TestSession, calls: [string, string, object][]): Promise<void> {
    const answers: string[] = [];
    for (const [method, path, body] of calls) {
      const res = await who.http.request<EnvelopeBody<unknown>>(
        method,
        path,
        method === 'GET' ? {} : { body },
      );
      answers.push(`${method} ${path} ${JSON.stringify(body)} → ${res.status} ${res.body?.code}`);
    }
    expect(answers).toEqual(
      calls.map(([method, path, body]) => `${method} ${path} ${JSON.stringify(body)} → 404 404`),
    );
  }

  it('a stranger reads nothing: task, instance and work order are 404 (the baseline)', async () => {
    const taskId = started.tasks[0].id;
    for (const path of [
      `/api/v1/workflow/tasks/${taskId}`,
      `/api/v1/workflow/instances/${started.id}`,
      `/api/v1/work-orders/${workOrderId}`,
    ])
      expect((await bob.http.get(path)).status).toBe(404);
  });

  it('every task command on an unclaimed out-of-scope task is 404', async () => {
    await expectAllNotFound(bob, taskCommands(started.tasks[0].id));
  });

  it('…and on a claimed one: no "held by someone else", no "not a participant"', async () => {
    ok(await carl.http.post(`/api/v1/workflow/tasks/${started.tasks[0].id}/claim`, {}), 'carl claims');
    await expectAllNotFound(bob, taskCommands(started.tasks[0].id));
    // a missing task answers the same
    await expectAllNotFound(bob, taskCommands('987654321'));
  });

  it('every instance command on an out-of-scope instance is 404', async () => {
    await expectAllNotFound(bob, instanceCommands(started.id));
    await expectAllNotFound(bob, instanceCommands('987654321'));
  });

  it('every work-order command on an out-of-scope work order is 404', async () => {
    await expectAllNotFound(bob, workOrderCommands(workOrderId));
    await expectAllNotFound(bob, workOrderCommands('987654321'));
  });

  it('someone who may see the task still gets the meaningful 4090 / 4001', async () => {
    const taskId = started.tasks[0].id;
    // ann, a candidate, sees the task: claiming it while carl holds it is a conflict, completing it 4001
    const claim = await ann.http.post<EnvelopeBody<unknown>>(`/api/v1/workflow/tasks/${taskId}/claim`, {});
    expect([claim.status, claim.body.code]).toEqual([409, 4090]);
    const complete = await ann.http.post<EnvelopeBody<unknown>>(
      `/api/v1/workflow/tasks/${taskId}/complete`,
      {},
    );
    expect([complete.status, complete.body.code]).toEqual([403, 4001]);
    // the work order's creator may see it but not intervene
    const intervene = await ann.http.post<EnvelopeBody<unknown>>(
      `/api/v1/work-orders/${workOrderId}/intervene`,
      {
        action: 'terminate',
      },
    );
    expect(intervene.status).toBe(403);
  });
});
