import {
  type EnvelopeBody,
  type HttpClient,
  loginAsAdmin,
  type Stack,
  startStack,
  type TestSession,
} from '@app/testing';
import { deploy, instance, ok, start } from './workflow-helpers';

/**
 * Issue 14: external service tasks done by REST workers (Camunda's external-task API). Workers are
 * registered services holding `workflow:external-task`; each worker names itself with a worker id.
 */
const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="t"';
const CAMUNDA = 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';

const invoice = `<definitions ${NS} ${CAMUNDA}>
  <process id="invoiceCheck" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="check" />
    <serviceTask id="check" name="Check invoice" camunda:type="external" camunda:topic="invoice-check" />
    <sequenceFlow id="f2" sourceRef="check" targetRef="review" /><userTask id="review" name="Review" />
    <sequenceFlow id="f3" sourceRef="review" targetRef="e" /><endEvent id="e" />
  </process>
</definitions>`;

interface Locked {
  id: string;
  topic: string;
  instanceId: string;
  elementId: string;
  workerId: string;
  lockExpiresAt: string;
  businessKey: string | null;
  variables: Record<string, unknown>;
}

interface Monitored {
  id: string;
  reasons: { code: string; detail: string }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('external tasks over REST', () => {
  let stack: Stack;
  let admin: TestSession;
  let workerA: HttpClient;
  let workerB: HttpClient;
  let outsider: HttpClient;

  beforeAll(async () => {
    stack = await startStack({ label: 'external_tasks' });
    admin = await loginAsAdmin(stack.http);
    const service = async (name: string, permissions: string[]) => {
      const app = ok<{ clientId: string; secret: string }>(
        await admin.http.post('/api/v1/applications', {
          type: 'service',
          name,
          permissions,
          dataScope: 'all',
        }),
        'register service',
      );
      return stack.http.withHeaders({
        requestType: 'service',
        serverID: app.clientId,
        secretKey: app.secret,
      });
    };
    workerA = await service('invoice worker A', ['workflow:external-task']);
    workerB = await service('invoice worker B', ['workflow:external-task']);
    outsider = await service('reporting', ['staff:read']);
    await deploy(admin.http, invoice);
  });
  afterAll(() => stack?.stop());

  const fetch = async (http: HttpClient, workerId: string, lockDuration = 60_000) =>
    ok<Locked[]>(
      await http.post('/api/v1/workflow/external-tasks/fetch-and-lock', {
        workerId,
        maxTasks: 10,
        topics: [{ topicName: 'invoice-check', lockDuration }],
      }),
      `fetch by ${workerId}`,
    );
  const mine = (tasks: Locked[], instanceId: string) => tasks.filter((t) => t.instanceId === instanceId);
  const post = (http: HttpClient, path: string, body: object) =>
    http.post<EnvelopeBody<{ status: string }>>(`/api/v1/workflow/external-tasks/${path}`, body);

  it('is fetched by two workers, locked for one, completed once; the instance moves on', async () => {
    const run = await start(admin.http, {
      definitionKey: 'invoiceCheck',
      businessKey: 'INV-7',
      variables: { amount: 120 },
    });
    expect(run.tasks).toEqual([]); // a service task is no user's work
    const [a, b] = await Promise.all([fetch(workerA, 'worker-a'), fetch(workerB, 'worker-b')]);
    const got = [...mine(a, run.id), ...mine(b, run.id)];
    expect(got).toHaveLength(1); // locked for one of them
    const task = got[0]!;
    expect(task).toMatchObject({
      topic: 'invoice-check',
      elementId: 'check',
      businessKey: 'INV-7',
      variables: { amount: 120 },
    });
    const holder = mine(a, run.id).length
      ? { http: workerA, id: 'worker-a' }
      : { http: workerB, id: 'worker-b' };
    const other =
      holder.id === 'worker-a' ? { http: workerB, id: 'worker-b' } : { http: workerA, id: 'worker-a' };
    expect(mine(await fetch(other.http, other.id), run.id)).toEqual([]); // still locked

    const answers = await Promise.all([
      post(holder.http, `${task.id}/complete`, { workerId: holder.id, variables: { approved: true } }),
      post(other.http, `${task.id}/complete`, { workerId: other.id, variables: { approved: false } }),
      post(holder.http, `${task.id}/complete`, { workerId: holder.id, variables: { approved: false } }),
    ]);
    expect(answers.map((x) => x.body.code).sort()).toEqual([200, 4090, 4090]);
    // the worker without the lock never completes it; which of the holder's two tries lands first is a race
    expect(answers[1]!.body.code).toBe(4090);
    const won = answers[0]!.body.code === 200;
    const detail = await instance(admin.http, run.id);
    expect(detail.variables).toMatchObject({ approved: won });
    expect(detail.tasks.map((t) => t.name)).toEqual(['Review']);
    expect(detail.history?.find((h) => h.elementId === 'check')).toMatchObject({ outcome: 'completed' });
    const listed = ok<{ status: string }[]>(
      await admin.http.get(`/api/v1/workflow/external-tasks?instanceId=${run.id}`),
    );
    expect(listed.map((t) => t.status)).toEqual(['completed']);
  });

  it('an expired lock can be fetched again; the first worker then no longer holds it', async () => {
    const run = await start(admin.http, { definitionKey: 'invoiceCheck' });
    const [task] = mine(await fetch(workerA, 'worker-a', 300), run.id);
    expect(task).toBeDefined();
    await sleep(600);
    const [again] = mine(await fetch(workerB, 'worker-b'), run.id);
    expect(again?.id).toBe(task!.id);
    expect((await post(workerA, `${task!.id}/complete`, { workerId: 'worker-a' })).body).toMatchObject({
      code: 4090,
      reason: 'EXTERNAL_TASK_LOCKED_BY_OTHER',
    });
    expect((await post(workerB, `${task!.id}/complete`, { workerId: 'worker-b' })).body.code).toBe(200);
  });

  it('extending a lock keeps other workers out past the first duration', async () => {
    const run = await start(admin.http, { definitionKey: 'invoiceCheck' });
    const [task] = mine(await fetch(workerA, 'worker-a', 1_000), run.id);
    ok(
      await post(workerA, `${task!.id}/extend-lock`, { workerId: 'worker-a', newDuration: 60_000 }),
      'extend',
    );
    expect(
      (await post(workerB, `${task!.id}/extend-lock`, { workerId: 'worker-b', newDuration: 10 })).body.code,
    ).toBe(4090);
    await sleep(1_300);
    expect(mine(await fetch(workerB, 'worker-b'), run.id)).toEqual([]);
    ok(await post(workerA, `${task!.id}/complete`, { workerId: 'worker-a' }), 'complete');
  });

  it('a failing worker exhausts its retries: an incident shows in monitoring; new retries resolve it', async () => {
    const run = await start(admin.http, { definitionKey: 'invoiceCheck' });
    let [task] = mine(await fetch(workerA, 'worker-a'), run.id);
    ok(
      await post(workerA, `${task!.id}/failure`, {
        workerId: 'worker-a',
        errorMessage: 'ERP timeout',
        retries: 1,
        retryTimeout: 1_000,
      }),
      'failure 1',
    );
    expect(mine(await fetch(workerB, 'worker-b'), run.id)).toEqual([]); // retry timeout
    await sleep(1_200);
    [task] = mine(await fetch(workerB, 'worker-b'), run.id);
    expect(task).toBeDefined();
    ok(
      await post(workerB, `${task!.id}/failure`, {
        workerId: 'worker-b',
        errorMessage: 'ERP still down',
        errorDetails: 'java.net.SocketTimeoutException',
        retries: 0,
      }),
      'failure 2',
    );
    expect(mine(await fetch(workerA, 'worker-a'), run.id)).toEqual([]); // no retries left

    const abnormal = ok<{ rows: Monitored[] }>(
      await admin.http.get('/api/v1/monitoring/instances?state=abnormal&pageSize=200'),
    ).rows.find((r) => r.id === run.id);
    expect(abnormal?.reasons).toEqual([
      expect.objectContaining({ code: 'incident', detail: expect.stringContaining('ERP still down') }),
    ]);

    expect(
      (await admin.http.post(`/api/v1/workflow/external-tasks/${task!.id}/retries`, { retries: 0 })).body,
    ).toMatchObject({ code: 4101 });
    ok(
      await admin.http.post(`/api/v1/workflow/external-tasks/${task!.id}/retries`, { retries: 2 }),
      'retries',
    );
    const after = ok<{ rows: Monitored[] }>(
      await admin.http.get('/api/v1/monitoring/instances?state=abnormal&pageSize=200'),
    ).rows;
    expect(after.find((r) => r.id === run.id)).toBeUndefined();
    [task] = mine(await fetch(workerA, 'worker-a'), run.id);
    ok(await post(workerA, `${task!.id}/complete`, { workerId: 'worker-a' }), 'complete');
    expect((await instance(admin.http, run.id)).tasks.map((t) => t.name)).toEqual(['Review']);
  });

  it('refuses callers without workflow:external-task, bad input (4101) and unknown ids (404)', async () => {
    const denied = await outsider.post('/api/v1/workflow/external-tasks/fetch-and-lock', {
      workerId: 'x',
      topics: [{ topicName: 'invoice-check', lockDuration: 1000 }],
    });
    expect(denied.status).toBe(403);
    const bad = await workerA.post<EnvelopeBody>('/api/v1/workflow/external-tasks/fetch-and-lock', {
      workerId: 'worker-a',
      topics: [{ topicName: 'invoice-check', lockDuration: -5 }],
    });
    expect(bad.body.code).toBe(4101);
    expect(JSON.stringify(bad.body.errors)).toContain('lockDuration');
    const missing = await post(workerA, '999999/complete', { workerId: 'worker-a' });
    expect(missing.status).toBe(404);
  });

  it('stopping the instance cancels its external task: nobody can fetch it', async () => {
    const run = await start(admin.http, { definitionKey: 'invoiceCheck' });
    ok(await admin.http.post(`/api/v1/workflow/instances/${run.id}/stop`, { comment: 'not needed' }), 'stop');
    expect(mine(await fetch(workerA, 'worker-a'), run.id)).toEqual([]);
    const listed = ok<{ status: string }[]>(
      await admin.http.get(`/api/v1/workflow/external-tasks?instanceId=${run.id}`),
    );
    expect(listed.map((t) => t.status)).toEqual(['cancelled']);
  });
});
