import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EnvelopeBody, loginAsAdmin, type Stack, startStack, type TestSession } from '@app/testing';
import { deploy, instance, ok, start, type TaskView, until } from './workflow-helpers';

const UPSTREAM = join(__dirname, '../../apps/workflow/src/engine/__tests__/fixtures/upstream');
const upstreamXml = (name: string) => readFileSync(join(UPSTREAM, name), 'utf8');

/**
 * Camunda and Flowable test files outside the conformance corpus (sources: fixtures/upstream/README.md),
 * deployed through the gateway and driven as their Java tests do, with the workflow app keeping engines
 * warm between commands (its default): a cancelled scope, the subscriptions an event sub-process
 * removes, gateways and receive tasks.
 */
describe('Camunda and Flowable test files beyond the corpus through the HTTP API', () => {
  let stack: Stack;
  let admin: TestSession;

  beforeAll(async () => {
    stack = await startStack({ label: 'bpmn_upstream' });
    admin = await loginAsAdmin(stack.http);
  });
  afterAll(() => stack?.stop());

  const open = async (id: string): Promise<TaskView[]> =>
    (await instance(admin.http, id)).tasks.filter((t) => t.status === 'open');
  const openIds = async (id: string) => (await open(id)).map((t) => t.elementId).sort();
  const entered = async (id: string, elementId: string) =>
    (await instance(admin.http, id)).history!.filter((h) => h.elementId === elementId).length;
  const status = async (id: string) => (await instance(admin.http, id)).status;

  async function completeAt(id: string, elementId: string): Promise<void> {
    const task = (await open(id)).find((t) => t.elementId === elementId);
    if (!task) throw new Error(`no open task at ${elementId} among [${(await openIds(id)).join()}]`);
    ok(await admin.http.post(`/api/v1/workflow/tasks/${task.id}/complete`, {}), `complete ${elementId}`);
  }

  async function runJob(instanceId: string, elementId: string): Promise<void> {
    const pending = async () =>
      ok<{ id: string; elementId: string }[]>(
        await admin.http.get(`/api/v1/workflow/jobs?instanceId=${instanceId}&status=pending`),
      );
    const job = (await pending()).find((j) => j.elementId === elementId);
    if (!job) throw new Error(`no pending job on ${elementId}`);
    ok(await admin.http.post(`/api/v1/workflow/jobs/${job.id}/execute`), 'execute job');
    await until(async () => ((await pending()).some((j) => j.id === job.id) ? undefined : true), 15_000);
  }

  const message = (id: string, body: Record<string, unknown>) =>
    admin.http.post<EnvelopeBody>(`/api/v1/workflow/instances/${id}/messages`, { kind: 'message', ...body });

  // SubProcessTest.testTwoNestedSubProcessesInParallelWithTimer
  it('an outer timer cancels the sub-process whose join held branch A: nothing after the join runs', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('camunda-subprocess-two-nested-parallel-timer.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    expect(await openIds(run.id)).toEqual(['subProcessATask', 'subProcessBTask']);
    await completeAt(run.id, 'subProcessATask');
    await runJob(run.id, 'timer');
    expect(await openIds(run.id)).toEqual(['taskAfterTimer']);
    // the warm engine completed the join with B's discard and entered the end event behind it
    expect(await entered(run.id, 'join')).toBe(0);
    expect(await entered(run.id, 'outerSubProcessEnd')).toBe(0);
    await completeAt(run.id, 'taskAfterTimer');
    expect(await status(run.id)).toBe('completed');
  });

  // InterruptingEventSubProcessTest.testCancelEventSubscriptionsWhenReceivingAMessage
  it('after an interrupting message event sub-process starts, the signal one no longer listens', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('camunda-interrupting-esp-cancel-subscriptions.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    expect(await openIds(run.id)).toEqual(['taskBeforeInterruptingEventSuprocess']);
    ok(await message(run.id, { name: 'newMessage' }), 'message');
    expect(await openIds(run.id)).toEqual(['taskAfterMessageStartEvent']);
    ok(await admin.http.post('/api/v1/workflow/signals', { name: 'newSignal' }), 'signal');
    expect(await openIds(run.id)).toEqual(['taskAfterMessageStartEvent']);
    expect(await entered(run.id, 'SubProcess_2')).toBe(0);
    // Camunda: messageEventReceived fails, no subscription is left
    const again = await message(run.id, { name: 'newMessage' });
    expect(again.status).not.toBe(200);
    await completeAt(run.id, 'taskAfterMessageStartEvent');
    expect(await status(run.id)).toBe('completed');
  });

  // ExclusiveGatewayTest.testNoSequenceFlowSelected (and the path it guards)
  it('an exclusive gateway without a true condition or default fails the start, naming the gateway', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('camunda-exclusive-no-flow-selected.bpmn'),
    );
    const refused = await admin.http.post<EnvelopeBody>('/api/v1/workflow/instances', {
      definitionId,
      variables: { input: 4 },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.msg).toContain('exclusiveGw');
    const run = await start(admin.http, { definitionId, variables: { input: 2 } });
    expect(await openIds(run.id)).toEqual(['theTask2']);
  });

  // ReceiveTaskTest: testNotSupportsCorrelateMessageOnReceiveTaskBehindParallelGateway and
  // testSupportsMessageEventReceivedOnReceiveTaskBehindParallelGateway
  it('two receive tasks behind a parallel gateway: correlation is ambiguous, each execution by id', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('camunda-receive-task-parallel-gateway.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    const ambiguous = await admin.http.post<EnvelopeBody>('/api/v1/workflow/messages', {
      name: 'newInvoiceMessage',
    });
    expect(ambiguous.status).toBe(409);
    const waiting = (await instance(admin.http, run.id)).history!.filter(
      (h) => h.leftAt === null && h.elementId.startsWith('waitState'),
    );
    expect(waiting).toHaveLength(2);
    for (const execution of waiting)
      ok(await message(run.id, { name: 'newInvoiceMessage', executionId: execution.executionId }), 'message');
    expect(await status(run.id)).toBe('completed');
  });

  // BoundaryTimerNonInterruptingEventTest.testTimerOnConcurrentSubprocess
  it('a non-interrupting timer on one of two concurrent sub-processes adds a task; the join still waits', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('camunda-timer-nonint-concurrent-subprocess.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    expect(await openIds(run.id)).toHaveLength(4);
    await runJob(run.id, 'timer');
    expect(await openIds(run.id)).toHaveLength(5);
    for (const task of ['sub1task1', 'sub1task2', 'sub2task1', 'sub2task2']) await completeAt(run.id, task);
    expect(await openIds(run.id)).toEqual(['timerFiredTask']);
    await completeAt(run.id, 'timerFiredTask');
    expect(await status(run.id)).toBe('completed');
  });

  // Flowable's TimerEventSubprocessTest.testNonInterruptingSubProcess
  it('a non-interrupting timer event sub-process: once the main task is done the cycle has no job, its runs finish', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('flowable-timer-esp-nonint-cycle-subprocess.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    await runJob(run.id, 'eventProcessStart');
    await runJob(run.id, 'eventProcessStart');
    expect(await openIds(run.id)).toEqual(['eventSubProcessTask', 'eventSubProcessTask', 'task']);
    await completeAt(run.id, 'task');
    const jobs = ok<unknown[]>(
      await admin.http.get(`/api/v1/workflow/jobs?instanceId=${run.id}&status=pending`),
    );
    expect(jobs).toEqual([]);
    expect(await status(run.id)).toBe('running');
    await completeAt(run.id, 'eventSubProcessTask');
    await completeAt(run.id, 'eventSubProcessTask');
    expect(await status(run.id)).toBe('completed');
  });

  // Flowable's TimerEventSubprocessTest.testInterruptingSubProcess (an event sub-process without an id)
  it('an interrupting timer event sub-process without an id deploys, fires from its job and ends the instance', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('flowable-timer-esp-interrupting-subprocess-no-id.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    expect(await openIds(run.id)).toEqual(['task']);
    await runJob(run.id, 'eventProcessStart');
    expect(await openIds(run.id)).toEqual(['eventSubProcessTask']);
    await completeAt(run.id, 'eventSubProcessTask');
    expect(await status(run.id)).toBe('completed');
  });

  // Flowable's ErrorPropagationTest.test: catchError4 calls catchError3 (in a sub-process), which calls
  // throwError (in a sub-process); the error end event's code is caught by the middle process's boundary
  it('an error end event two call levels down is caught by the innermost catching boundary, in the middle process', async () => {
    for (const file of [
      'flowable-error-propagation-throw.bpmn',
      'flowable-error-propagation-middle.bpmn',
      'flowable-error-propagation-outer.bpmn',
    ])
      await deploy(admin.http, upstreamXml(file));
    const outer = await start(admin.http, { definitionKey: 'catchError4' });
    const rows = ok<{ rows: { id: string; parentInstanceId: string | null; status: string }[] }>(
      await admin.http.get('/api/v1/workflow/instances?scope=all&pageSize=200'),
    ).rows;
    const middle = rows.find((r) => r.parentInstanceId === outer.id)!;
    const thrower = rows.find((r) => r.parentInstanceId === middle.id)!;
    expect(thrower.status).not.toBe('running');
    expect((await open(middle.id)).map((t) => t.name)).toEqual(['MyErrorTaskNested']);
    expect(await openIds(outer.id)).toEqual([]);
    expect(await status(outer.id)).toBe('running');
    // the middle process ends normally after its catch: the outer call activity goes on to its end
    await completeAt(middle.id, 'myErrorTaskNested');
    expect(await status(middle.id)).toBe('completed');
    expect(await status(outer.id)).toBe('completed');
    expect(await entered(outer.id, 'myErrorTask')).toBe(0);
    expect(await entered(outer.id, 'otherErrorsTask')).toBe(0);
  });

  // Flowable's ParallelGatewayTest.testNonTerminatingEndEventShouldNotRemoveSubscriptions
  it('a non-interrupting message event sub-process listens while a parallel branch runs, not after', async () => {
    const { id: definitionId } = await deploy(
      admin.http,
      upstreamXml('flowable-nonint-message-esp-parallel-ends.bpmn'),
    );
    const run = await start(admin.http, { definitionId });
    const byName = async (name: string) => (await open(run.id)).find((t) => t.name === name)!.elementId;
    await completeAt(run.id, await byName('task 1'));
    await completeAt(run.id, await byName('task 2'));
    ok(await message(run.id, { name: 'testmessage' }), 'message');
    await completeAt(run.id, await byName('task 3'));
    // the process's own path has ended: nothing waits for the message any more
    expect((await message(run.id, { name: 'testmessage' })).status).not.toBe(200);
    expect((await open(run.id)).map((t) => t.name)).toEqual(['message task']);
    await completeAt(run.id, await byName('message task'));
    expect(await status(run.id)).toBe('completed');
  });

  // LinkEventTest.testEventLinkMultipleSources (two tokens after the catch in Camunda, one in bpmn-engine);
  // MessageBoundaryEventTest.testDoubleBoundaryMessageEventSameMessageId and
  // MessageStartEventTest.testSameMessageNameInSameProcessFails (Camunda's deployment fails);
  // Flowable's TerminateEndEventTest.testTerminateInEventSubProcess (terminateAll, not supported)
  it.each([
    ['camunda-link-multiple-sources.bpmn', 'IntermediateCatchEvent_1'],
    ['camunda-message-boundary-same-message-twice.bpmn', 'messageBoundary_2'],
    ['camunda-message-start-same-name-twice.bpmn', 'theStart2'],
    ['flowable-terminate-all-in-event-subprocess.bpmn', 'subProcessEndEvent'],
  ])('%s is refused at deploy, naming <%s>', async (file, elementId) => {
    const answer = await admin.http.post<EnvelopeBody>('/api/v1/workflow/deployments', {
      xml: upstreamXml(file),
    });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 4101, reason: 'INVALID_DEFINITION' });
    expect((answer.body.errors ?? []).map((e) => e.field)).toEqual([`xml#${elementId}`]);
  });
});
