import { loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, instance, ok, start, until } from './workflow-helpers';

/**
 * Issue 14: signal start events. Flowable's SignalEventTest.testSignalStartEvent (corpus file
 * flowable-signal-start-throw-boundary.bpmn) with its five processes deployed as five single-process
 * documents (a multi-process document is refused at deploy, see docs/workflow.md). A signal thrown by
 * an instance, or sent through POST /workflow/signals, starts one instance of the newest active
 * version of every definition with a matching signal start event; two workflow replicas poll the job
 * that carries a thrown signal, and each definition still starts once per signal.
 */
const doc = (process: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="definitions" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="Examples">
  <signal id="theSignal" name="The Signal" />
  ${process}
</definitions>`;

const signalStart = (key: string, n: string, task: string) =>
  doc(`<process id="${key}">
    <startEvent id="theStart${n}"><signalEventDefinition signalRef="theSignal" /></startEvent>
    <sequenceFlow id="flowA${n}" sourceRef="theStart${n}" targetRef="theTask${n}" />
    <userTask id="theTask${n}" name="${task}" />
    <sequenceFlow id="flowB${n}" sourceRef="theTask${n}" targetRef="theEnd${n}" />
    <endEvent id="theEnd${n}" />
  </process>`);

const throwing = doc(`<process id="processWithSignalThrow">
    <startEvent id="theStart4" />
    <sequenceFlow id="flow7" sourceRef="theStart4" targetRef="signalThrow" />
    <intermediateThrowEvent id="signalThrow"><signalEventDefinition signalRef="theSignal" /></intermediateThrowEvent>
    <sequenceFlow id="flow8" sourceRef="signalThrow" targetRef="theEnd4" />
    <endEvent id="theEnd4" />
  </process>`);

const catching = doc(`<process id="processWithSignalCatch">
    <startEvent id="theStart5" />
    <sequenceFlow id="flow9" sourceRef="theStart5" targetRef="theTask4" />
    <userTask id="theTask4" name="Task in process D" />
    <boundaryEvent attachedToRef="theTask4" id="signalCatch"><signalEventDefinition signalRef="theSignal" /></boundaryEvent>
    <sequenceFlow id="flow10" sourceRef="theTask4" targetRef="theEnd5" />
    <sequenceFlow id="flow11" sourceRef="signalCatch" targetRef="theTask5" />
    <userTask id="theTask5" name="Task after signal" />
    <endEvent id="theEnd5" />
  </process>`);

const STARTED = ['processWithSignalStart1', 'processWithSignalStart2', 'processWithSignalStart3'];

interface Row {
  id: string;
  definitionVersion: number;
  initiatorId: string;
}

describe('signal start events across two workflow replicas', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    stack = await startStack({ label: 'signal_start' });
    await stack.addWorkflowReplica();
    admin = await loginAsAdmin(stack.http);
    await deploy(admin.http, signalStart('processWithSignalStart1', '', 'Task in process A'));
    await deploy(admin.http, signalStart('processWithSignalStart2', '2', 'Task in process B'));
    await deploy(admin.http, signalStart('processWithSignalStart3', '3', 'Task in process C'));
    await deploy(admin.http, throwing);
    await deploy(admin.http, catching);
  });
  afterAll(() => stack?.stop());

  const rowsOf = async (key: string): Promise<Row[]> =>
    ok<{ rows: Row[] }>(
      await admin.http.get(`/api/v1/workflow/instances?scope=all&definitionKey=${key}&pageSize=200`),
    ).rows;
  const counts = async () => Promise.all(STARTED.map(async (key) => (await rowsOf(key)).length));
  const openNames = async (id: string) =>
    (await instance(admin.http, id)).tasks.filter((t) => t.status === 'open').map((t) => t.name);
  const detail = async (id: string) =>
    (await instance(admin.http, id)) as unknown as {
      id: string;
      definitionId: string;
      definitionKey: string;
      definitionVersion: number;
    };
  const pendingJobs = async (id: string) =>
    ok<unknown[]>(await admin.http.get(`/api/v1/workflow/jobs?instanceId=${id}&status=pending`));

  /** Starts processWithSignalThrow and waits until its signal job has run (on either replica). */
  async function throwSignal(): Promise<void> {
    const thrower = await start(admin.http, { definitionKey: 'processWithSignalThrow' });
    expect(thrower.status).toBe('completed');
    await until(
      async () => ((await pendingJobs(thrower.id)).length === 0 ? true : undefined),
      20_000,
      'jobs',
    );
  }

  it('testSignalStartEventFromProcess: a thrown signal starts A, B and C once each and reaches the boundary of D', async () => {
    const before = await counts();
    // a plain start of a process that only starts by signal is refused
    const plain = await admin.http.post('/api/v1/workflow/instances', {
      definitionKey: 'processWithSignalStart1',
    });
    expect(plain.status).toBe(400);

    await throwSignal();
    expect(await counts()).toEqual(before.map((n) => n + 1));
    const first = await Promise.all(STARTED.map(async (key) => (await rowsOf(key))[0]!));
    expect(await Promise.all(first.map((r) => openNames(r.id)))).toEqual([
      ['Task in process A'],
      ['Task in process B'],
      ['Task in process C'],
    ]);
    // a signal-started instance has no starter
    expect(first.every((r) => r.initiatorId === 'system:signal')).toBe(true);

    const catcher = await start(admin.http, { definitionKey: 'processWithSignalCatch' });
    expect(await openNames(catcher.id)).toEqual(['Task in process D']);
    await throwSignal();
    expect(await counts()).toEqual(before.map((n) => n + 2));
    await until(
      async () => ((await openNames(catcher.id)).join() === 'Task after signal' ? true : undefined),
      20_000,
      'the boundary of D',
    );
  });

  it('testSignalStartEventFromAPI: POST /workflow/signals starts A, B and C and reaches D', async () => {
    const before = await counts();
    const catcher = await start(admin.http, { definitionKey: 'processWithSignalCatch' });
    const reply = ok<{ instanceIds: string[]; startedInstanceIds: string[] }>(
      await admin.http.post('/api/v1/workflow/signals', { name: 'The Signal', variables: { from: 'api' } }),
      'signal',
    );
    expect(reply.instanceIds).toContain(catcher.id);
    expect(reply.startedInstanceIds).toHaveLength(3);
    expect(await counts()).toEqual(before.map((n) => n + 1));
    expect(await openNames(catcher.id)).toEqual(['Task after signal']);
    for (const id of reply.startedInstanceIds)
      expect((await instance(admin.http, id)).variables).toMatchObject({ from: 'api' });
  });

  it('only the newest version starts, and a suspended definition does not', async () => {
    const v2 = await deploy(admin.http, signalStart('processWithSignalStart1', '', 'Task in process A v2'));
    const c = (await rowsOf('processWithSignalStart3'))[0]!;
    const definitionC = await detail(c.id);
    ok(
      await admin.http.patch(`/api/v1/workflow/definitions/${definitionC.definitionId}`, { suspended: true }),
      'suspend C',
    );
    const reply = ok<{ startedInstanceIds: string[] }>(
      await admin.http.post('/api/v1/workflow/signals', { name: 'The Signal' }),
      'signal',
    );
    expect(reply.startedInstanceIds).toHaveLength(2);
    const started = await Promise.all(reply.startedInstanceIds.map((id) => detail(id)));
    expect(started.map((i) => i.definitionKey).sort()).toEqual([
      'processWithSignalStart1',
      'processWithSignalStart2',
    ]);
    const a = started.find((i) => i.definitionKey === 'processWithSignalStart1')!;
    expect(a.definitionVersion).toBe(v2.version);
    expect(await openNames(a.id)).toEqual(['Task in process A v2']);
  });
});
