/**
 * Second set of the conformance corpus (events, event sub-processes, timers, external workers): every
 * file of /work/shared/bpmn-corpus/SOURCES.md "Second set" runs along the path of its Java test, or is
 * refused at deploy naming the element. The Driver recovers from JSON between every step and checks
 * each step against one engine kept alive (helpers.ts), and that an ended instance left no history open.
 */
import { compileDefinition } from '../definition/compile';
import { DefinitionError } from '../errors';
import { deploy, Driver, fixture } from './helpers';

const corpus = (name: string) => deploy(`corpus/${name}.bpmn`);

async function refusal(name: string): Promise<DefinitionError> {
  const err = await compileDefinition(fixture(`corpus/${name}.bpmn`)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DefinitionError);
  return err as DefinitionError;
}

describe('camunda-external-task-error-event-subprocess', () => {
  const file = 'camunda-external-task-error-event-subprocess';

  it('a worker BPMN error starts the interrupting error event sub-process, with the message variable', async () => {
    const d = await Driver.start(await corpus(file));
    expect(d.waits).toHaveLength(1);
    expect(d.wait('externalTask_1')).toMatchObject({ type: 'externalTask', topic: 'externalTaskTopic' });
    await d.apply({
      type: 'bpmn-error',
      executionId: d.wait('externalTask_1').executionId,
      errorCode: 'ERROR-SPEC-10',
      errorMessage: 'Some meaningful message',
    });
    expect(d.waits.map((w) => w.elementId)).toEqual(['afterBpmnError']);
    expect(d.snapshot.variables).toEqual({ errorMessageVariable: 'Some meaningful message' });
    expect(d.log.find((e) => e.elementId === 'externalTask_1' && e.event === 'leave')?.outcome).toBe(
      'cancelled',
    );
    await d.complete('afterBpmnError');
    expect(d.status).toBe('completed');
    expect(d.entered('EndEvent_2')).toBe(1);
    expect(d.entered('EndEvent_1')).toBe(0);
  });

  it('worker-complete instead ends at EndEvent_1', async () => {
    const d = await Driver.start(await corpus(file));
    await d.complete('externalTask_1');
    expect(d.status).toBe('completed');
    expect(d.entered('EndEvent_1')).toBe(1);
    expect(d.entered('afterBpmnError')).toBe(0);
  });

  it('an error code nothing catches is refused and the task keeps waiting', async () => {
    const d = await Driver.start(await corpus(file));
    const executionId = d.wait('externalTask_1').executionId;
    await expect(d.apply({ type: 'bpmn-error', executionId, errorCode: 'OTHER' })).rejects.toMatchObject({
      code: 'INVALID_COMMAND',
      details: { elementId: 'externalTask_1' },
    });
    expect(d.waits.map((w) => w.elementId)).toEqual(['externalTask_1']);
  });
});

describe('camunda-error-event-subprocess-code-precedence', () => {
  it('the specific code beats the catch-all, the event sub-process beats the boundary', async () => {
    const d = await Driver.start(await corpus('camunda-error-event-subprocess-code-precedence'));
    expect(d.waits.map((w) => w.elementId)).toEqual(['taskAfterErrorCatch2']);
    expect(d.waitNames).toEqual(['Escalated Task']);
    await d.complete('taskAfterErrorCatch2');
    expect(d.status).toBe('completed');
    expect(d.entered('taskAfterErrorCatch')).toBe(0);
    // a boundary event is armed (entered) while its host runs; it never fired
    expect(d.log.find((e) => e.elementId === 'catchErrorBoundary' && e.event === 'leave')?.outcome).toBe(
      'cancelled',
    );
    expect(d.snapshot.takenFlows).not.toContain('flow4');
    expect(d.entered('theEnd')).toBe(1);
  });
});

describe('camunda-timer-event-subprocess-error-boundary', () => {
  it('is refused: a timer-started event sub-process, named', async () => {
    const error = await refusal('camunda-timer-event-subprocess-error-boundary');
    expect(error.elementId).toBe('StartEvent_eventsub');
    expect(error.issues[0]!.reason).toMatch(/timer is not supported on an event sub-process start event/);
  });
});

describe('flowable-message-event-subprocess-non-interrupting', () => {
  const file = 'flowable-message-event-subprocess-non-interrupting';

  it('testStartingAdditionalTasks: messages add tasks at both levels; the sub-process waits for its own', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    expect(d.waitNames).toEqual(['Task 1']);
    // $INITIATOR (Flowable modeler placeholder) is the starter
    expect(d.wait('task1').assignee).toBe('kermit');
    await d.complete('task1');
    expect(d.waitNames).toEqual(['Sub task 1']);
    await d.apply({ type: 'message', name: 'Start another sub task' });
    expect(d.waitNames).toEqual(['Additional sub task', 'Sub task 1']);
    await d.apply({ type: 'message', name: 'Start another task' });
    expect(d.waitNames).toEqual(['Additional sub task', 'Additional task', 'Sub task 1']);
    await d.complete('additionalTask');
    expect(d.waits).toHaveLength(2);
    await d.complete('subTask1');
    expect(d.waitNames).toEqual(['Additional sub task']);
    await d.complete('additionalSubTask');
    expect(d.waitNames).toEqual(['Task 2']);
    await d.complete('task2');
    expect(d.status).toBe('completed');
  });

  it('testStartingAdditionalTasksNoNestedEventSubProcess: no messages → task1, subTask1, task2', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    for (const name of ['Task 1', 'Sub task 1', 'Task 2']) {
      expect(d.waitNames).toEqual([name]);
      await d.complete(name);
    }
    expect(d.status).toBe('completed');
  });

  it('a second trigger while the non-interrupting event sub-process runs is refused, not lost', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await d.apply({ type: 'message', name: 'Start another task' });
    await expect(d.apply({ type: 'message', name: 'Start another task' })).rejects.toMatchObject({
      code: 'INVALID_COMMAND',
      details: { elementId: 'eventProcess' },
    });
    expect(d.waitNames).toEqual(['Additional task', 'Task 1']);
  });

  it('a message for a sub-process that does not run is refused', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await expect(d.apply({ type: 'message', name: 'Start another sub task' })).rejects.toMatchObject({
      code: 'NO_MATCHING_WAIT',
    });
  });
});

describe('flowable-message-event-subprocess-interrupting', () => {
  const file = 'flowable-message-event-subprocess-interrupting';

  it('testStartingAdditionalTasksInterrupting: the sub message cancels subTask1, then task2', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await d.complete('task1');
    expect(d.waitNames).toEqual(['Sub task 1']);
    await d.apply({ type: 'message', name: 'Start another sub task' });
    expect(d.waitNames).toEqual(['Additional sub task']);
    expect(d.log.find((e) => e.elementId === 'subTask1' && e.event === 'leave')?.outcome).toBe('cancelled');
    await d.complete('additionalSubTask');
    expect(d.waitNames).toEqual(['Task 2']);
    await d.complete('task2');
    expect(d.status).toBe('completed');
  });

  it('…WithMainEventSubProcessInterrupt: the process-level message cancels everything', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await d.complete('task1');
    await d.apply({ type: 'message', name: 'Start another sub task' });
    await d.apply({ type: 'message', name: 'Start another task' });
    expect(d.waitNames).toEqual(['Additional task']);
    await d.complete('additionalTask');
    expect(d.status).toBe('completed');
    expect(d.entered('task2')).toBe(0);
  });
});

describe('flowable-signal-start-throw-boundary', () => {
  it('is refused: five processes in one document, named', async () => {
    const error = await refusal('flowable-signal-start-throw-boundary');
    expect(error.issues[0]!.reason).toMatch(/only one executable process per document/);
    expect(error.message).toContain('processWithSignalStart2');
  });
});

describe('flowable-timer-start-cycles-cron', () => {
  it('is refused: timer start events, each named', async () => {
    const error = await refusal('flowable-timer-start-cycles-cron');
    const ids = error.issues.map((i) => i.elementId);
    expect(ids).toEqual(
      expect.arrayContaining([
        'sid-2B2A66B7-5254-40AF-993A-2A2BFFF6F953',
        'sid-69DC8A71-DE2D-4E6B-80B5-289E38557F50',
        'sid-578B11EF-B8EC-4FCD-B0FA-9CF2D18CEADF',
        'sid-BB3792ED-56F6-4A48-ABEB-1049E9B2B1A8',
      ]),
    );
    expect(error.issues[0]!.reason).toMatch(/timer is not supported on a process start event/);
  });
});

describe('camunda-timer-date-expression', () => {
  it.each([
    ['an ISO instant', () => new Date(Date.now() - 1000).toISOString()],
    ['a local date-time without zone', () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 19)],
  ])('#{dueDate} as %s: due at once, fires, the instance ends', async (_, dueDate) => {
    const d = await Driver.start(await corpus('camunda-timer-date-expression'), {
      variables: { dueDate: dueDate() },
    });
    // bpmn-engine fires a timer that is already due while the command runs
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.entered('timer')).toBe(1);
    expect(d.entered('theEnd')).toBe(1);
  });

  it('a future #{dueDate} is one pending job at that instant', async () => {
    const due = new Date(Date.now() + 3_600_000);
    const d = await Driver.start(await corpus('camunda-timer-date-expression'), {
      variables: { dueDate: due.toISOString() },
    });
    expect(d.snapshot.timers).toHaveLength(1);
    expect(d.snapshot.timers[0]).toMatchObject({ elementId: 'timer', timerType: 'timeDate' });
    expect(Date.parse(d.snapshot.timers[0]!.dueAt)).toBe(due.getTime());
    await d.fire('timer');
    expect(d.status).toBe('completed');
  });
});

describe('camunda-message-start-and-none-start', () => {
  it('is refused: the message start event, named', async () => {
    const error = await refusal('camunda-message-start-and-none-start');
    expect(error.elementId).toBe('messageStart');
    expect(error.issues[0]!.reason).toMatch(/message is not supported on a process start event/);
  });
});

describe('camunda-escalation-end-boundary', () => {
  it.each([
    ['task in subprocess', 'task after catched escalation'],
    ['task after catched escalation', 'task in subprocess'],
  ])('non-interrupting escalation: both tasks; %s then %s', async (first, second) => {
    const d = await Driver.start(await corpus('camunda-escalation-end-boundary'));
    expect(d.waitNames).toEqual(['task after catched escalation', 'task in subprocess']);
    await d.complete(first);
    expect(d.waitNames).toEqual([second]);
    expect(d.status).toBe('running');
    await d.complete(second);
    expect(d.status).toBe('completed');
    expect(d.entered('theEnd')).toBe(2);
  });
});

describe('camunda-link-events', () => {
  it('throw/catch pairs by link name; receive tasks without messageRef wait', async () => {
    const d = await Driver.start(await corpus('camunda-link-events'));
    expect(d.waits.map((w) => [w.elementId, w.type])).toEqual([['waitAfterLink1', 'receiveTask']]);
    await d.complete('waitAfterLink1');
    expect(d.waits.map((w) => w.elementId)).toEqual(['waitAfterLink2']);
    await d.complete('waitAfterLink2');
    expect(d.status).toBe('completed');
    expect(d.entered('EndEvent_1')).toBe(1);
  });
});

describe('flowable-conditions-without-gateway', () => {
  it.each([
    [2, ['A', 'B', 'C']],
    [20, ['B', 'C']],
    [200, ['C']],
  ])('input=%s: every true condition out of the task is taken → %j', async (input, expected) => {
    const d = await Driver.start(await corpus('flowable-conditions-without-gateway'), {
      variables: { input },
    });
    await d.complete('theTask');
    expect(d.waitNames).toEqual(expected);
    for (const name of expected) await d.complete(name);
    expect(d.status).toBe('completed');
  });
});

describe('camunda-event-gateway-message-signal-timer', () => {
  it('the PT0S timer is due at once: exactly one of the three tasks, nothing left waiting', async () => {
    const d = await Driver.start(await corpus('camunda-event-gateway-message-signal-timer'));
    expect(d.waitNames).toEqual(['afterTimer']);
    expect(d.wait('afterTimer').assignee).toBe('kermit');
    expect(d.snapshot.timers).toEqual([]);
    await expect(d.apply({ type: 'message', name: 'newInvoice' })).rejects.toMatchObject({
      code: 'NO_MATCHING_WAIT',
    });
    await d.apply({ type: 'signal', name: 'alert' });
    expect(d.waitNames).toEqual(['afterTimer']);
    await d.complete('afterTimer');
    expect(d.status).toBe('completed');
    expect(d.entered('task2')).toBe(0);
    expect(d.entered('task3')).toBe(0);
  });
});

describe('flowable-external-worker-bpmn-error', () => {
  const file = 'flowable-external-worker-bpmn-error';

  it('worker BPMN error errorOne with name=gonzo → taskAfterError', async () => {
    const d = await Driver.start(await corpus(file), { variables: { name: 'kermit' } });
    expect(d.waits.map((w) => [w.elementId, w.type, w.topic])).toEqual([
      ['externalWorkerTask', 'externalTask', 'simple'],
    ]);
    await d.apply({
      type: 'bpmn-error',
      executionId: d.wait('externalWorkerTask').executionId,
      errorCode: 'errorOne',
      variables: { name: 'gonzo' },
    });
    expect(d.waits.map((w) => w.elementId)).toEqual(['taskAfterError']);
    expect(d.snapshot.variables).toEqual({ name: 'gonzo' });
    await d.complete('taskAfterError');
    expect(d.status).toBe('completed');
    expect(d.entered('taskAfter')).toBe(0);
  });

  it('worker-complete → taskAfter → theEnd', async () => {
    const d = await Driver.start(await corpus(file), { variables: { name: 'kermit' } });
    await d.complete('externalWorkerTask');
    expect(d.waits.map((w) => w.elementId)).toEqual(['taskAfter']);
    await d.complete('taskAfter');
    expect(d.status).toBe('completed');
    expect(d.entered('taskAfterError')).toBe(0);
  });
});

describe('flowable-skip-expression-user-tasks', () => {
  it('is refused: skipExpression on each user task, named', async () => {
    const error = await refusal('flowable-skip-expression-user-tasks');
    expect(error.issues.map((i) => [i.elementId, i.reason])).toEqual([
      ['userTask1', 'skipExpression is not supported'],
      ['userTask2', 'skipExpression is not supported'],
      ['userTask3', 'skipExpression is not supported'],
    ]);
  });
});

describe('REFUSE-camunda-compensation-subprocess', () => {
  it('is refused naming the compensation boundary and throw events', async () => {
    const error = await refusal('REFUSE-camunda-compensation-subprocess');
    const ids = error.issues.map((i) => i.elementId);
    expect(ids).toEqual(expect.arrayContaining(['compensateScopeTask', 'throwCompensate']));
    expect(error.issues[0]!.reason).toMatch(/compensate events are not supported/);
  });
});
