import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import {
  createDepartment,
  createStaff,
  loginAs,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestMember,
  type TestSession,
} from '@app/testing';
import { deploy, instance, ok, openTasks, start, type TaskView, until } from './workflow-helpers';

const NS = `xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"`;
/** A task assigned by sign-in name, as Camunda's own files write it; `due` arms the SLA ladder. */
const xml = (key: string, assignee: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions ${NS} id="${key}Defs" targetNamespace="http://flowdesk.example/${key}">
  <process id="${key}" name="Named ${key}" isExecutable="true">
    <startEvent id="start" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" name="Review" camunda:assignee="${assignee}" camunda:dueDate="\${due}" />
    <sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <endEvent id="end" />
  </process>
</definitions>`;

interface Monitored {
  id: string;
  reasons: { code: string; detail: string; taskId: string | null }[];
}

/**
 * Issue 14: a task assigned by account name (`camunda:assignee="piggy"`) is stored with piggy's staff
 * id when it is created, so the inbox, webhooks, todo, reports and the SLA ladder all see the id; a
 * name nobody signs in as stays on the task, raises an incident and does not make its event loop.
 */
describe('assignees named by account name', () => {
  let stack: Stack;
  let admin: TestSession;
  let piggy: TestMember;
  let head: TestMember;
  let db: Client;
  const received: { topic: string; body: { instanceId: string; data: Record<string, unknown> } }[] = [];
  let server: Server;

  const abnormal = async () =>
    ok<{ rows: Monitored[] }>(
      await admin.http.get('/api/v1/monitoring/instances?state=abnormal&pageSize=200'),
    ).rows;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ topic: String(req.headers['x-flowdesk-topic']), body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    stack = await startStack({
      label: 'named_assignees',
      gatewayEnv: {
        WORKFLOW_EVENTS_POLL_MS: '100',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_POLL_MS: '100',
      },
    });
    admin = await loginAsAdmin(stack.http);
    const team = await createDepartment(admin.http, 'Named team');
    piggy = await createStaff(admin.http, { account: 'piggy', departmentId: team });
    head = await createStaff(admin.http, { account: 'piggy-head', departmentId: team });
    ok(await admin.http.patch(`/api/v1/departments/${team}`, { managerId: head.id }), 'set manager');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    ok(
      await admin.http.post('/api/v1/webhooks', { name: 'named', url, topics: ['task.created'] }),
      'webhook',
    );
    await deploy(admin.http, xml('namedReview', 'piggy'));
    await deploy(admin.http, xml('ghostReview', 'ghost-nobody'));
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    server?.close();
  });

  it('stores the staff id: todo, inbox, webhook, monitoring and the report by assignee use it', async () => {
    const run = await start(admin.http, { definitionKey: 'namedReview', variables: { due: 'P1D' } });
    const [task] = await openTasks(admin.http, run.id);
    expect(task).toMatchObject({ name: 'Review', assigneeId: piggy.id });

    const me = await loginAs(stack.http, piggy.account, piggy.password);
    const todo = ok<{ rows: TaskView[] }>(await me.http.get('/api/v1/workflow/tasks?scope=todo'));
    expect(todo.rows.map((t) => t.id)).toContain(task!.id);

    const note = await until(
      async () =>
        ok<{ rows: { topic: string; instanceId: string; taskId: string | null }[] }>(
          await me.http.get('/api/v1/inbox'),
        ).rows.find((n) => n.topic === 'task.created' && n.instanceId === run.id),
      20_000,
      'inbox notification',
    );
    expect(note.taskId).toBe(task!.id);
    const hook = await until(
      async () => received.find((r) => r.body.instanceId === run.id),
      20_000,
      'webhook delivery',
    );
    expect(hook.topic).toBe('task.created');
    expect(hook.body.data).toMatchObject({ taskId: task!.id, assigneeId: piggy.id });

    expect((await abnormal()).find((r) => r.id === run.id)).toBeUndefined();
    // copy-to by account name (抄送) reaches the member by id too
    ok(
      await me.http.post(`/api/v1/workflow/tasks/${task!.id}/complete`, { copyTo: ['piggy-head'] }),
      'complete with copy-to',
    );
    const boss = await loginAs(stack.http, head.account, head.password);
    await until(
      async () =>
        ok<{ rows: { topic: string; instanceId: string }[] }>(await boss.http.get('/api/v1/inbox')).rows.find(
          (n) => n.topic === 'task.copied' && n.instanceId === run.id,
        ),
      20_000,
      'copy-to notification',
    );
    const copied = ok<{ rows: TaskView[] }>(await boss.http.get('/api/v1/workflow/tasks?scope=copied'));
    expect(copied.rows.map((t) => t.id)).toContain(task!.id);
    const byAssignee = ok<{ key: string; count: number }[]>(
      await admin.http.get('/api/v1/reports/durations?by=assignee&processKey=namedReview'),
    );
    expect(byAssignee.map((r) => r.key)).toEqual([piggy.id]);
  });

  it('the SLA ladder carries the id and escalates to piggy’s manager', async () => {
    const run = await start(admin.http, { definitionKey: 'namedReview', variables: { due: 'PT2S' } });
    const [task] = await openTasks(admin.http, run.id);
    const escalated = await until(
      async () => {
        const [now] = await openTasks(admin.http, run.id);
        return now?.assigneeId === head.id ? now : undefined;
      },
      30_000,
      'escalation to the manager',
    );
    expect(escalated.id).toBe(task!.id);
    const { rows } = await db.query<{ topic: string; assignee: string }>(
      `SELECT topic, payload->>'assigneeId' AS assignee FROM workflow.outbox_event
        WHERE instance_id = $1 AND topic LIKE 'sla.%' ORDER BY created_at`,
      [run.id],
    );
    expect(rows.map((r) => r.topic)).toEqual(['sla.reminded', 'sla.urged', 'sla.escalated']);
    expect(rows.every((r) => r.assignee === piggy.id)).toBe(true);
  });

  it('an unknown name stays on the task, raises an incident, and its event is consumed once', async () => {
    const run = await start(admin.http, { definitionKey: 'ghostReview', variables: { due: 'P1D' } });
    const [task] = await openTasks(admin.http, run.id);
    expect(task).toMatchObject({ assigneeId: 'ghost-nobody' });

    const listed = (await abnormal()).find((r) => r.id === run.id);
    expect(listed?.reasons).toEqual([
      expect.objectContaining({
        code: 'incident',
        taskId: task!.id,
        detail: expect.stringMatching(/^unknown_assignee at review: .*"ghost-nobody"/),
      }),
    ]);

    // the gateway handled the event (nobody to notify) and acknowledged it: no retry, no dead letter
    const created = await until(
      async () => {
        const { rows } = await db.query<{ attempts: number; delivered: boolean }>(
          `SELECT attempts, delivered_at IS NOT NULL AS delivered FROM workflow.outbox_event
            WHERE instance_id = $1 AND topic = 'task.created'`,
          [run.id],
        );
        return rows[0]?.delivered ? rows[0] : undefined;
      },
      20_000,
      'task.created acknowledged',
    );
    expect(created.attempts).toBe(1);
    const parked = await db.query(`SELECT 1 FROM core.dead_letter WHERE payload->>'instanceId' = $1`, [
      run.id,
    ]);
    expect(parked.rowCount).toBe(0);
    await until(async () => received.find((r) => r.body.instanceId === run.id), 20_000, 'webhook');

    // an administrator hands the task to someone real (by account name): id stored, incident resolved
    ok(await admin.http.post(`/api/v1/workflow/tasks/${task!.id}/transfer`, { userId: 'piggy' }), 'transfer');
    expect((await instance(admin.http, run.id)).tasks[0]).toMatchObject({ assigneeId: piggy.id });
    expect((await abnormal()).find((r) => r.id === run.id)).toBeUndefined();
  });
});
