import {
  createRole,
  createStaff,
  loginAs,
  loginAsAdmin,
  roleId,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { complete, corpusXml, deploy, instance, ok, start, type TaskView, until } from './workflow-helpers';

/**
 * Camunda's own test files name people by user name (`camunda:assignee="kermit"`) and groups by name
 * (`candidateGroups="management"`): they run unchanged when staff with those account names and a
 * role of that code exist.
 */
describe('camunda-boundary-timer-escalation with named users', () => {
  let stack: Stack;
  let admin: TestSession;
  let kermit: TestSession;
  let boss: TestSession;
  let kermitId: string;

  beforeAll(async () => {
    stack = await startStack({ label: 'corpus_named' });
    admin = await loginAsAdmin(stack.http);
    const staff = await roleId(admin.http, 'staff');
    const management = await createRole(admin.http, {
      code: 'management',
      permissions: [],
      dataScope: 'own',
    });
    const k = await createStaff(admin.http, { account: 'kermit', roleIds: [staff] });
    const b = await createStaff(admin.http, { account: 'gonzo', roleIds: [staff, management] });
    kermitId = k.id;
    kermit = await loginAs(stack.http, k.account, k.password);
    boss = await loginAs(stack.http, b.account, b.password);
    await deploy(admin.http, corpusXml('camunda-boundary-timer-escalation.bpmn'));
  });
  afterAll(() => stack?.stop());

  it('normal path: kermit completes "First line support" and the PT5M timer is cancelled', async () => {
    const started = await start(admin.http, { definitionKey: 'escalationExample' });
    const first = started.tasks[0];
    // stored as kermit's staff id (resolved when the task was created), like any assignee by id
    expect(first).toMatchObject({ name: 'First line support', assigneeId: kermitId });
    const todo = ok<{ rows: TaskView[] }>(await kermit.http.get('/api/v1/workflow/tasks?scope=todo'));
    expect(todo.rows.map((t) => t.id)).toContain(first.id);
    // boss has no part in this instance: the task is hidden from him (404 as a read)
    expect((await boss.http.post(`/api/v1/workflow/tasks/${first.id}/complete`, {})).status).toBe(404);
    expect((await complete(kermit.http, first.id)).instanceStatus).toBe('completed');
    const jobs = ok<{ status: string }[]>(
      await admin.http.get(`/api/v1/workflow/jobs?instanceId=${started.id}`),
    );
    expect(jobs.map((j) => j.status)).toEqual(['cancelled']);
    expect((await instance(admin.http, started.id)).history!.map((h) => h.elementId)).toContain('normalEnd');
  });

  it('escalation path: the timer fires (run early by an operator), the group "management" handles it', async () => {
    const started = await start(admin.http, { definitionKey: 'escalationExample' });
    const [job] = ok<{ id: string }[]>(
      await admin.http.get(`/api/v1/workflow/jobs?instanceId=${started.id}&status=pending`),
    );
    ok(await admin.http.post(`/api/v1/workflow/jobs/${job.id}/execute`));
    const escalated = await until(
      async () => {
        const detail = await instance(admin.http, started.id);
        return detail.tasks.find((t) => t.name === 'Handle escalated issue');
      },
      15_000,
      'escalation task',
    );
    expect(escalated.candidates).toEqual(['group:management']);
    expect((await kermit.http.post(`/api/v1/workflow/tasks/${escalated.id}/complete`, {})).status).toBe(403);
    expect((await complete(boss.http, escalated.id)).instanceStatus).toBe('completed');
    const detail = await instance(admin.http, started.id);
    expect(detail.history!.map((h) => h.elementId)).toEqual(expect.arrayContaining(['escalatedEnd']));
    expect(
      detail.history!.find((h) => h.elementId === 'firstLineSupport' || h.elementId.startsWith('first'))
        ?.outcome,
    ).toBe('cancelled');
  });
});
