/**
 * Second set of the conformance corpus (events, event sub-processes, timers, external workers): every
 * file of /work/shared/bpmn-corpus/SOURCES.md "Second set" runs along the path of its Java test, or is
 * refused at deploy naming the element. The Driver recovers from JSON between every step and checks
 * each step against one engine kept alive (helpers.ts), and that an ended instance left no history open.
 */
import { compileDefinition } from '../definition/compile';
import { errorCatcherOf, uncaughtErrors } from '../definition/subscriptions';
import { checkStartTimer, nextTimerStart } from '../definition/timer-start';
import { DefinitionError } from '../errors';
import { resumeAndApply, startInstance } from '../runtime/runtime';
import { document } from './bpmn';
import { ALL_EVENT_STARTS, deploy, Driver, expectHistoryClosed, fixture, roundTrip } from './helpers';

const corpus = (name: string) => deploy(`corpus/${name}.bpmn`);

async function refusal(name: string, options = ALL_EVENT_STARTS): Promise<DefinitionError> {
  const err = await compileDefinition(fixture(`corpus/${name}.bpmn`), options).then(
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

describe('an interrupting event sub-process catching what an inner scope throws', () => {
  // BPMN 2.0 §10.3.5 / Camunda: the error leaves the embedded sub-process uncaught and starts the
  // process-level error event sub-process, which interrupts its whole scope: the sub-process is
  // cancelled and does not take its outgoing flow.
  const errorOutOfSubProcess = (catchStart: string, rootExtra: string) =>
    document(
      `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f1a" sourceRef="fork" targetRef="sub" />
    <sequenceFlow id="f1b" sourceRef="fork" targetRef="side" /><userTask id="side" />
    <sequenceFlow id="f1c" sourceRef="side" targetRef="sideEnd" /><endEvent id="sideEnd" />
    <subProcess id="sub"><startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="inner" />
      <userTask id="inner" /><sequenceFlow id="sf2" sourceRef="inner" targetRef="throw" />
      <endEvent id="throw">${catchStart.includes('escalation') ? '<escalationEventDefinition escalationRef="X" />' : '<errorEventDefinition errorRef="E" />'}</endEvent></subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="next" /><userTask id="next" />
    <sequenceFlow id="f3" sourceRef="next" targetRef="e" /><endEvent id="e" />
    <subProcess id="esp" triggeredByEvent="true">${catchStart}
      <sequenceFlow id="f4" sourceRef="handlerStart" targetRef="handler" /><userTask id="handler" />
      <sequenceFlow id="f5" sourceRef="handler" targetRef="handled" /><endEvent id="handled" /></subProcess>`,
      { rootExtra },
    );

  it.each([
    ['error', '<startEvent id="handlerStart"><errorEventDefinition errorRef="E" /></startEvent>'],
    ['catch-all error', '<startEvent id="handlerStart"><errorEventDefinition /></startEvent>'],
    [
      'escalation',
      '<startEvent id="handlerStart"><escalationEventDefinition escalationRef="X" /></startEvent>',
    ],
  ])('%s: the sub-process and the parallel task are cancelled, only the handler waits', async (_, start) => {
    const d = await Driver.start(
      await compileDefinition(
        errorOutOfSubProcess(
          start,
          '<error id="E" errorCode="E1" /><escalation id="X" escalationCode="X1" />',
        ),
        ALL_EVENT_STARTS,
      ),
    );
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['inner', 'side']);
    await d.complete('inner');
    expect(d.waits.map((w) => w.elementId)).toEqual(['handler']);
    expect(d.entered('next')).toBe(0);
    expect(d.snapshot.takenFlows).not.toContain('f2');
    const outcome = (id: string) => d.log.find((e) => e.elementId === id && e.event === 'leave')?.outcome;
    expect([outcome('sub'), outcome('side')]).toEqual(['cancelled', 'cancelled']);
    await d.complete('handler');
    expect(d.status).toBe('completed');
    expectHistoryClosed(d.log);
  });

  it.each([
    ['in the process', 'p'],
    ['in the sub-process', 'sub'],
  ])('a catch-all error event sub-process %s catches an error end of its own scope', async (_, where) => {
    const esp = `<subProcess id="esp" triggeredByEvent="true"><startEvent id="handlerStart"><errorEventDefinition /></startEvent>
      <sequenceFlow id="f4" sourceRef="handlerStart" targetRef="handler" /><userTask id="handler" />
      <sequenceFlow id="f5" sourceRef="handler" targetRef="handled" /><endEvent id="handled" /></subProcess>`;
    const d = await Driver.start(
      await compileDefinition(
        document(
          `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub"><startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="inner" />
          <userTask id="inner" /><sequenceFlow id="sf2" sourceRef="inner" targetRef="throw" />
          <endEvent id="throw"><errorEventDefinition errorRef="E" /></endEvent>${where === 'sub' ? esp : ''}</subProcess>
        <sequenceFlow id="f2" sourceRef="sub" targetRef="next" /><userTask id="next" />
        <sequenceFlow id="f3" sourceRef="next" targetRef="e" /><endEvent id="e" />${where === 'p' ? esp : ''}`,
          { rootExtra: '<error id="E" errorCode="E1" />' },
        ),
        ALL_EVENT_STARTS,
      ),
    );
    await d.complete('inner');
    expect(d.waits.map((w) => w.elementId)).toEqual(['handler']);
    expect(d.entered('handlerStart')).toBe(1);
    await d.complete('handler');
    expect(d.waits.map((w) => w.elementId)).toEqual(where === 'sub' ? ['next'] : []);
    expect(d.entered('next')).toBe(where === 'sub' ? 1 : 0);
  });

  it('a non-interrupting escalation event sub-process lets the sub-process carry on', async () => {
    const d = await Driver.start(
      await compileDefinition(
        errorOutOfSubProcess(
          '<startEvent id="handlerStart" isInterrupting="false"><escalationEventDefinition escalationRef="X" /></startEvent>',
          '<escalation id="X" escalationCode="X1" />',
        ),
        ALL_EVENT_STARTS,
      ),
    );
    await d.complete('inner');
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['handler', 'next', 'side']);
  });
});

describe('camunda-timer-event-subprocess-error-boundary', () => {
  // R/PT10S as in the Java test: an operator who wants that lowers the deploy minimum (limits.ts)
  const def = () =>
    deploy('corpus/camunda-timer-event-subprocess-error-boundary.bpmn', {
      ...ALL_EVENT_STARTS,
      limits: { minTimerCycleMs: 1_000 },
    });

  it('testThrownAnErrorInEventSubprocessInSubprocess: the timer fires, its error leaves the sub-process to the boundary', async () => {
    const d = await Driver.start(await def());
    expect(d.waitNames).toEqual(['inside subprocess']);
    expect(d.snapshot.timers).toHaveLength(1);
    expect(d.snapshot.timers[0]).toMatchObject({
      elementId: 'StartEvent_eventsub',
      timerType: 'timeCycle',
      value: 'R/PT10S',
      interrupting: false,
    });
    await d.fire('StartEvent_eventsub');
    // the boundary interrupts the sub-process: the inside task is cancelled, the cycle not rescheduled
    expect(d.waitNames).toEqual(['after catch']);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.log.find((e) => e.elementId === 'UserTask_inside' && e.event === 'leave')?.outcome).toBe(
      'cancelled',
    );
    await d.complete('UserTask_afterCatch');
    expect(d.status).toBe('completed');
    expect(d.entered('EndEvent_afterCatch')).toBe(1);
    expect(d.entered('EndEvent_1')).toBe(0);
  });

  it('normal path: completing the inside task ends the sub-process and removes its timer', async () => {
    const d = await Driver.start(await def());
    await d.complete('UserTask_inside');
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.entered('EndEvent_1')).toBe(1);
    expect(d.entered('SubProcess_event')).toBe(0);
  });

  it('is refused with the default minimum cycle, naming the start event', async () => {
    const error = await refusal('camunda-timer-event-subprocess-error-boundary');
    expect(error.elementId).toBe('StartEvent_eventsub');
    expect(error.issues[0]!.reason).toMatch(/shortest allowed interval/);
  });
});

describe('timer event sub-processes (BPMN semantics)', () => {
  const process = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <process id="p" isExecutable="true">${body}</process>
</definitions>`;
  const espTimer = (id: string, interrupting: boolean, timer: string, target: string) => `
    <subProcess id="esp_${id}" triggeredByEvent="true">
      <startEvent id="${id}" isInterrupting="${interrupting}"><timerEventDefinition>${timer}</timerEventDefinition></startEvent>
      <sequenceFlow id="ef_${id}" sourceRef="${id}" targetRef="${target}" />
      <userTask id="${target}" name="${target}" />
    </subProcess>`;
  const compile = (xml: string) => compileDefinition(xml, ALL_EVENT_STARTS);
  const at = (iso: string) => () => new Date(iso);

  it('process level, interrupting timeDuration: cancels the main path and is used up', async () => {
    const xml = process(`
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="main" />
      <userTask id="main" name="main" /><sequenceFlow id="f2" sourceRef="main" targetRef="e" /><endEvent id="e" />
      ${espTimer('late', true, '<timeDuration>PT1H</timeDuration>', 'chase')}`);
    const d = await Driver.start(await compile(xml), {}, at('2024-05-01T08:00:00Z'));
    expect(d.snapshot.timers.map((t) => [t.elementId, t.dueAt])).toEqual([
      ['late', '2024-05-01T09:00:00.000Z'],
    ]);
    await d.fire('late');
    expect(d.waitNames).toEqual(['chase']);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.log.find((e) => e.elementId === 'main' && e.event === 'leave')?.outcome).toBe('cancelled');
    await d.complete('chase');
    expect(d.status).toBe('completed');
    expect(d.entered('e')).toBe(0);
  });

  it('process level, non-interrupting timeCycle R2: fires twice beside the main path, then is used up', async () => {
    const xml = process(`
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="main" />
      <userTask id="main" name="main" /><sequenceFlow id="f2" sourceRef="main" targetRef="e" /><endEvent id="e" />
      <subProcess id="esp" triggeredByEvent="true">
        <startEvent id="remind" isInterrupting="false"><timerEventDefinition><timeCycle>R2/PT1H</timeCycle></timerEventDefinition></startEvent>
        <sequenceFlow id="ef" sourceRef="remind" targetRef="note" /><endEvent id="note" />
      </subProcess>`);
    const d = await Driver.start(await compile(xml), {}, at('2024-05-01T08:00:00Z'));
    expect(d.snapshot.timers.map((t) => t.dueAt)).toEqual(['2024-05-01T09:00:00.000Z']);
    await d.fire('remind');
    expect(d.waitNames).toEqual(['main']);
    expect(d.entered('note')).toBe(1);
    // rescheduled from its own schedule, as a new job
    expect(d.snapshot.timers.map((t) => t.dueAt)).toEqual(['2024-05-01T10:00:00.000Z']);
    const second = d.snapshot.timers[0]!.timerId;
    expect(second).not.toBe(d.steps[0]!.timers[0]!.timerId);
    await d.fire('remind');
    expect(d.entered('note')).toBe(2);
    expect(d.snapshot.timers).toEqual([]);
    await d.complete('main');
    expect(d.status).toBe('completed');
  });

  it('an unbounded cycle keeps its job while the scope runs; timeDate fires once', async () => {
    const xml = process(`
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="main" />
      <userTask id="main" name="main" /><sequenceFlow id="f2" sourceRef="main" targetRef="e" /><endEvent id="e" />
      <subProcess id="esp" triggeredByEvent="true">
        <startEvent id="tick" isInterrupting="false"><timerEventDefinition><timeCycle>R/PT1H</timeCycle></timerEventDefinition></startEvent>
        <sequenceFlow id="ef" sourceRef="tick" targetRef="note" /><endEvent id="note" />
      </subProcess>
      <subProcess id="esp2" triggeredByEvent="true">
        <startEvent id="deadline" isInterrupting="false"><timerEventDefinition><timeDate>2024-06-01T00:00:00Z</timeDate></timerEventDefinition></startEvent>
        <sequenceFlow id="ef2" sourceRef="deadline" targetRef="note2" /><endEvent id="note2" />
      </subProcess>`);
    const d = await Driver.start(await compile(xml), {}, at('2024-05-01T08:00:00Z'));
    for (let i = 1; i <= 3; i++) await d.fire('tick');
    expect(d.entered('note')).toBe(3);
    await d.fire('deadline');
    expect(d.entered('note2')).toBe(1);
    expect(d.snapshot.timers.map((t) => [t.elementId, t.dueAt])).toEqual([
      ['tick', '2024-05-01T12:00:00.000Z'],
    ]);
    await d.complete('main');
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
  });

  it('inside an embedded sub-process: armed when it is entered, from an expression, gone when it ends', async () => {
    const xml = process(`
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="before" />
      <userTask id="before" name="before" /><sequenceFlow id="f2" sourceRef="before" targetRef="sub" />
      <subProcess id="sub">
        <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="inside" />
        <userTask id="inside" name="inside" /><sequenceFlow id="sf2" sourceRef="inside" targetRef="se" /><endEvent id="se" />
        ${espTimer('expire', true, '<timeDuration>${limit}</timeDuration>', 'expired')}
      </subProcess>
      <sequenceFlow id="f3" sourceRef="sub" targetRef="after" /><userTask id="after" name="after" />`);
    const d = await Driver.start(
      await compile(xml),
      { variables: { limit: 'PT2H' } },
      at('2024-05-01T08:00:00Z'),
    );
    expect(d.snapshot.timers).toEqual([]);
    await d.complete('before');
    expect(d.snapshot.timers.map((t) => [t.elementId, t.dueAt])).toEqual([
      ['expire', '2024-05-01T10:00:00.000Z'],
    ]);
    await d.fire('expire');
    expect(d.waitNames).toEqual(['expired']);
    await d.complete('expired');
    // the interrupting event sub-process ended its scope: the sub-process completes, the process goes on
    expect(d.waitNames).toEqual(['after']);
    expect(d.snapshot.timers).toEqual([]);

    const normal = await Driver.start(await compile(xml), { variables: { limit: 'PT2H' } });
    await normal.complete('before');
    await normal.complete('inside');
    expect(normal.waitNames).toEqual(['after']);
    expect(normal.snapshot.timers).toEqual([]);
  });

  it('inside a multi-instance sub-process is refused, naming the start event', async () => {
    const xml = process(`
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">
        <multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
        <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="inside" />
        <userTask id="inside" /><sequenceFlow id="sf2" sourceRef="inside" targetRef="se" /><endEvent id="se" />
        ${espTimer('expire', true, '<timeDuration>PT1H</timeDuration>', 'expired')}
      </subProcess>
      <sequenceFlow id="f2" sourceRef="sub" targetRef="e" /><endEvent id="e" />`);
    const err = await compile(xml).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DefinitionError);
    expect((err as DefinitionError).elementId).toBe('expire');
    expect((err as DefinitionError).issues[0]!.reason).toMatch(/multi-instance sub-process/);
  });
});

describe('timers inside a multi-instance sub-process', () => {
  // Camunda evaluates a timer inside a multi-instance body in its iteration's scope: the element
  // variable and loopCounter give each iteration its own deadline (one reviewer a day, another three).
  const model = (inner: string) =>
    document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
    <subProcess id="sub">
      <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${limits}" camunda:elementVariable="limit" />
      <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="x" />
      ${inner}
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="after" /><userTask id="after" name="after" />`);
  useFrozenClock(); // bpmn-elements reads the wall clock when it arms a timer
  const dues = (d: Driver) => d.snapshot.timers.map((t) => [t.elementId, t.value, t.dueAt]).sort();

  it("an intermediate timer takes its duration from the iteration's element variable", async () => {
    const def = await compileDefinition(
      model(`<intermediateCatchEvent id="x"><timerEventDefinition><timeDuration>\${limit}</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <sequenceFlow id="sf2" sourceRef="x" targetRef="se" /><endEvent id="se" />`),
      ALL_EVENT_STARTS,
    );
    const d = await Driver.start(def, { variables: { limits: ['PT1H', 'PT3H'] } });
    expect(dues(d)).toEqual([
      ['x', 'PT1H', '2024-05-01T09:00:00.000Z'],
      ['x', 'PT3H', '2024-05-01T11:00:00.000Z'],
    ]);
    const first = d.snapshot.timers.find((t) => t.value === 'PT1H')!;
    await d.apply({ type: 'fire-timer', timerId: first.timerId });
    expect(dues(d)).toEqual([['x', 'PT3H', '2024-05-01T11:00:00.000Z']]);
    await d.fire('x');
    expect(d.waitNames).toEqual(['after']);
  });

  it('a boundary timer of a task in the iteration reads loopCounter', async () => {
    const def = await compileDefinition(
      model(`<userTask id="x" name="review" /><sequenceFlow id="sf2" sourceRef="x" targetRef="se" /><endEvent id="se" />
      <boundaryEvent id="late" attachedToRef="x"><timerEventDefinition><timeDuration>PT\${loopCounter + 1}H</timeDuration></timerEventDefinition></boundaryEvent>
      <sequenceFlow id="sf3" sourceRef="late" targetRef="se2" /><endEvent id="se2" />`),
      ALL_EVENT_STARTS,
    );
    const d = await Driver.start(def, { variables: { limits: ['a', 'b'] } });
    expect(dues(d)).toEqual([
      ['late', 'PT1H', '2024-05-01T09:00:00.000Z'],
      ['late', 'PT2H', '2024-05-01T10:00:00.000Z'],
    ]);
    const first = d.snapshot.timers.find((t) => t.value === 'PT1H')!;
    await d.apply({ type: 'fire-timer', timerId: first.timerId });
    expect(d.waitNames).toEqual(['review']);
    await d.complete('review');
    expect(d.waitNames).toEqual(['after']);
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

  it('testStartingAdditionalTasksWithNestedEventSubProcess: the subscription survives its trigger, two runs side by side', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await d.apply({ type: 'message', name: 'Start another task' });
    await d.apply({ type: 'message', name: 'Start another task' });
    expect(d.waitNames).toEqual(['Additional task', 'Additional task', 'Task 1']);
    await d.complete('task1');
    await d.complete('subTask1');
    await d.complete('task2');
    // the last subscription is gone with its scope's main path, yet the instance lives for its runs
    expect(d.waitNames).toEqual(['Additional task', 'Additional task']);
    expect(d.status).toBe('running');
    await d.complete('additionalTask');
    await d.complete('additionalTask');
    expect(d.status).toBe('completed');
  });

  it('(BPMN semantics) two runs inside the embedded sub-process: it ends once both have', async () => {
    const d = await Driver.start(await corpus(file), { initiator: 'kermit' });
    await d.complete('task1');
    await d.apply({ type: 'message', name: 'Start another sub task' });
    await d.apply({ type: 'message', name: 'Start another sub task' });
    expect(d.waitNames).toEqual(['Additional sub task', 'Additional sub task', 'Sub task 1']);
    await d.complete('subTask1');
    await d.complete('additionalSubTask');
    expect(d.waitNames).toEqual(['Additional sub task']);
    await d.complete('additionalSubTask');
    expect(d.waitNames).toEqual(['Task 2']);
    await d.complete('task2');
    expect(d.status).toBe('completed');
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
  const file = 'flowable-timer-start-cycles-cron';
  // The Java test schedules every 5 s; an operator who wants that lowers the deploy minimum (limits.ts).
  const fastCycles = { ...ALL_EVENT_STARTS, limits: { minTimerCycleMs: 1_000 } };
  const corpus = (name: string) => deploy(`corpus/${name}.bpmn`, fastCycles);
  const ids = {
    A: 'sid-BB3792ED-56F6-4A48-ABEB-1049E9B2B1A8', // R2/PT10S
    B: 'sid-578B11EF-B8EC-4FCD-B0FA-9CF2D18CEADF', // R3/PT5S
    C: 'sid-2B2A66B7-5254-40AF-993A-2A2BFFF6F953', // R1/PT15S
    D: 'sid-69DC8A71-DE2D-4E6B-80B5-289E38557F50', // 0/20 * * * * ?
  } as const;

  it('testMultipleStartEvents: four schedules; each firing starts one instance at its own start event', async () => {
    const def = await corpus(file);
    const deployedAt = new Date('2024-05-01T18:50:01Z');
    // the durable layer's job rows, one per timer start event
    const jobs = Object.entries(ids).map(([task, id]) => {
      const timer = def.elementsById.get(id)!.eventDefinition!.timer!;
      const state = { anchor: deployedAt, fired: 0, previousDue: null as Date | null };
      return { task, id, timer, state, due: nextTimerStart(timer.kind, timer.value, state) };
    });
    const counts: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    const instances: Driver[] = [];
    const runUntil = async (clock: string): Promise<number[]> => {
      const now = Date.parse(`2024-05-01T${clock}Z`);
      for (const job of jobs) {
        if (!job.due || job.due.getTime() > now) continue;
        const d = await Driver.start(def, { startEventId: job.id });
        instances.push(d);
        expect(d.waitNames).toEqual([`Task ${job.task}`]);
        counts[job.task]!++;
        job.state = { anchor: deployedAt, fired: job.state.fired + 1, previousDue: job.due };
        job.due = nextTimerStart(job.timer.kind, job.timer.value, job.state);
      }
      return ['A', 'B', 'C', 'D'].map((t) => counts[t]!);
    };
    expect(jobs.filter((j) => j.due && j.due > deployedAt)).toHaveLength(4);
    expect(await runUntil('18:50:08')).toEqual([0, 1, 0, 0]);
    expect(await runUntil('18:50:12')).toEqual([1, 2, 0, 0]);
    expect(await runUntil('18:50:18')).toEqual([1, 3, 1, 0]);
    expect(jobs.filter((j) => j.due)).toHaveLength(2);
    expect(await runUntil('18:50:24')).toEqual([2, 3, 1, 1]);
    expect(jobs.filter((j) => j.due).map((j) => [j.task, j.due!.toISOString()])).toEqual([
      ['D', '2024-05-01T18:50:40.000Z'],
    ]);
    // $INITIATOR: a timer-started instance has no starter, so nobody is assigned
    expect(instances[0]!.waits[0]!.assignee).toBeNull();
    const d = instances[0]!;
    await d.complete(d.waitNames[0]!);
    expect(d.waitNames).toEqual(['Task E']);
    await d.complete('Task E');
    expect(d.status).toBe('completed');
  });

  it('is refused where the host does not run timer start events, each named', async () => {
    const error = await refusal(file, { eventStarts: ['message'] });
    expect(error.issues.map((i) => i.elementId)).toEqual(expect.arrayContaining(Object.values(ids)));
    expect(error.issues[0]!.reason).toBe('timer start events are not enabled on this platform');
  });

  it('a plain start is refused: the process has only timer start events', async () => {
    await expect(Driver.start(await corpus(file))).rejects.toMatchObject({ code: 'INVALID_COMMAND' });
  });

  it.each([
    ['timeCycle', '0 0/5 * * * ?', '2024-05-01T18:55:00.000Z'],
    ['timeCycle', '0 0 12 ? * MON-FRI *', '2024-05-02T12:00:00.000Z'],
    ['timeCycle', 'R/PT1H', '2024-05-01T19:50:01.000Z'],
    ['timeDate', '2024-06-01T08:00:00Z', '2024-06-01T08:00:00.000Z'],
    ['timeDuration', 'PT10M', '2024-05-01T19:00:01.000Z'],
  ] as const)('%s %s first fires at %s', (kind, value, first) => {
    const anchor = new Date('2024-05-01T18:50:01Z');
    expect(nextTimerStart(kind, value, { anchor, fired: 0, previousDue: null })?.toISOString()).toBe(first);
  });

  it.each([
    ['* * * * *', /6 or 7 fields/],
    ['0 0 12 * * ? 2030', /year field/],
    ['0 0 99 * * ?', /./],
  ])('refuses the cron %s at deploy', (value, reason) => {
    expect(checkStartTimer('timeCycle', value)).toMatch(reason);
  });
});

describe('camunda-timer-date-expression', () => {
  it.each([
    ['an ISO instant', () => new Date(Date.now() - 1000).toISOString()],
    ['a local date-time without zone', () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 19)],
  ])('#{dueDate} as %s: exactly one job, already due; firing it ends the instance', async (_, dueDate) => {
    const d = await Driver.start(await corpus('camunda-timer-date-expression'), {
      variables: { dueDate: dueDate() },
    });
    // Camunda's testExpression: the timer is a job, due already, and the instance waits for it (bpmn-engine
    // fired it inside the start)
    expect(d.status).toBe('running');
    expect(d.snapshot.timers).toHaveLength(1);
    expect(d.snapshot.timers[0]).toMatchObject({ elementId: 'timer', timerType: 'timeDate' });
    expect(Date.parse(d.snapshot.timers[0]!.dueAt)).toBeLessThanOrEqual(Date.now());
    await d.fire('timer');
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
  const file = 'camunda-message-start-and-none-start';

  it('a plain start takes the none start only; a start by message the message start only', async () => {
    const def = await corpus(file);
    // messageRef="tns:newInvoice" (a QName of the targetNamespace) resolves to the message's name
    expect(def.elementsById.get('messageStart')!.eventDefinition).toMatchObject({
      kind: 'message',
      refName: 'newInvoiceMessage',
    });
    const plain = await Driver.start(def);
    expect(plain.waits.map((w) => w.elementId)).toEqual(['taskAfterNoneStart']);
    await plain.complete('taskAfterNoneStart');
    expect(plain.status).toBe('completed');
    expect(plain.entered('messageStart')).toBe(0);

    const byMessage = await Driver.start(def, { startEventId: 'messageStart', variables: { amount: 5 } });
    expect(byMessage.waits.map((w) => w.elementId)).toEqual(['taskAfterMessageStart']);
    expect(byMessage.snapshot.variables).toEqual({ amount: 5 });
    await byMessage.complete('taskAfterMessageStart');
    expect(byMessage.status).toBe('completed');
    expect(byMessage.entered('noneStart')).toBe(0);
  });

  it('an unknown start event is refused', async () => {
    await expect(
      Driver.start(await corpus(file), { startEventId: 'taskAfterNoneStart' }),
    ).rejects.toMatchObject({
      code: 'INVALID_COMMAND',
    });
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

/**
 * Stops the wall clock bpmn-elements reads (`new Date()`) for each test of the enclosing describe:
 * it reads it twice when it arms a timer, and a PT0S timer is due at once only when no millisecond
 * passes in between.
 */
function useFrozenClock(): { advance(ms: number): void } {
  const realDate = Date;
  let now = 0;
  beforeEach(() => {
    now = realDate.parse('2024-05-01T08:00:00Z');
    class Clock extends realDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(now);
        else super(...(args as [number]));
      }
      static override now(): number {
        return now;
      }
    }
    globalThis.Date = Clock as DateConstructor;
  });
  afterEach(() => {
    globalThis.Date = realDate;
  });
  return {
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('camunda-event-gateway-message-signal-timer', () => {
  useFrozenClock();

  // Camunda's testCatchSignalAndMessageAndTimer: after the start, two subscriptions and one timer job
  // (PT0S: due at once); the message that comes before the job runs wins (bpmn-engine fired the timer
  // inside the start, so the message found nothing)
  it('the PT0S timer is a job due at once: a message before it runs wins, the rest is withdrawn', async () => {
    const d = await Driver.start(await corpus('camunda-event-gateway-message-signal-timer'));
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['messageEvent', 'signalEvent']);
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['timerEvent']);
    await d.apply({ type: 'message', name: 'newInvoice' });
    expect(d.waitNames).toEqual(['afterMessage']);
    expect(d.wait('afterMessage').assignee).toBe('kermit');
    expect(d.snapshot.timers).toEqual([]);
    await d.apply({ type: 'signal', name: 'alert' });
    expect(d.waitNames).toEqual(['afterMessage']);
    await d.complete('task3');
    expect(d.status).toBe('completed');
    expect(d.entered('timerEvent')).toBe(1);
    expect(d.entered('task1')).toBe(0);
  });

  it('the PT0S timer fired by its job wins alone: exactly one of the three tasks, nothing left waiting', async () => {
    const d = await Driver.start(await corpus('camunda-event-gateway-message-signal-timer'));
    await d.fire('timerEvent');
    expect(d.waitNames).toEqual(['afterTimer']);
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

describe('event-based gateway: a timer that fell due while the instance rested', () => {
  // Camunda: a due timer fires when the job executor takes its job. Until then the instance waits as
  // before (a resume for another command fires nothing, and a message that comes first wins the race);
  // the job's fire-timer then wins alone and withdraws the other targets.
  const clock = useFrozenClock();

  async function restedPastTheTimer(duration: string) {
    const xml = fixture('corpus/camunda-event-gateway-message-signal-timer.bpmn').replace('PT0S', duration);
    const definition = await compileDefinition(xml, ALL_EVENT_STARTS);
    const now = () => new Date();
    const started = roundTrip(await startInstance({ definition }, { now }));
    expect(started.waits.map((w) => w.elementId).sort()).toEqual(['messageEvent', 'signalEvent']);
    expect(started.timers.map((t) => t.elementId)).toEqual(['timerEvent']);
    clock.advance(2 * 3600_000);
    return { definition, now, started };
  }

  it.each(['PT1H', 'PT0.001S'])(
    'a %s timer fired late by its job wins alone; message and signal find nothing',
    async (duration) => {
      const { definition, now, started } = await restedPastTheTimer(duration);
      const timer = started.timers[0]!;
      // a resume before the job runs fires nothing: the timer keeps its job and its due time
      const resumed = roundTrip(
        await resumeAndApply({ definition, state: started.state }, { type: 'resume' }, { now }),
      );
      expect(resumed.waits.map((w) => w.elementId).sort()).toEqual(['messageEvent', 'signalEvent']);
      expect(resumed.timers).toEqual([timer]);
      expect(resumed.history).toEqual([]);
      const fired = roundTrip(
        await resumeAndApply(
          { definition, state: resumed.state },
          { type: 'fire-timer', timerId: timer.timerId },
          { now },
        ),
      );
      expect(fired.waits.map((w) => w.name)).toEqual(['afterTimer']);
      await expect(
        resumeAndApply({ definition, state: fired.state }, { type: 'message', name: 'newInvoice' }, { now }),
      ).rejects.toMatchObject({ code: 'NO_MATCHING_WAIT' });
      const signalled = await resumeAndApply(
        { definition, state: fired.state },
        { type: 'signal', name: 'alert' },
        { now },
      );
      expect(signalled.waits.map((w) => w.name)).toEqual(['afterTimer']);
      expect(fired.history.filter((h) => h.event === 'enter').map((h) => h.elementId)).toEqual(['task1']);
      expect(
        fired.history
          .filter((h) => h.event === 'leave')
          .map((h) => `${h.elementId} ${h.outcome}`)
          .sort(),
      ).toEqual(['gw1 completed', 'messageEvent cancelled', 'signalEvent cancelled', 'timerEvent completed']);
    },
  );

  it("a message that comes before the overdue timer's job wins the race; the timer is gone", async () => {
    const { definition, now, started } = await restedPastTheTimer('PT1H');
    // before: the overdue timer fired as the state resumed for the message, which then found nothing
    const messaged = roundTrip(
      await resumeAndApply(
        { definition, state: started.state },
        { type: 'message', name: 'newInvoice' },
        { now },
      ),
    );
    expect(messaged.waits.map((w) => w.name)).toEqual(['afterMessage']);
    expect(messaged.timers).toEqual([]);
    expect(messaged.history.filter((h) => h.elementId === 'timerEvent')).toMatchObject([
      { event: 'leave', outcome: 'cancelled' },
    ]);
    await expect(
      resumeAndApply(
        { definition, state: messaged.state },
        { type: 'fire-timer', timerId: started.timers[0]!.timerId },
        { now },
      ),
    ).rejects.toMatchObject({ code: 'UNKNOWN_TIMER' });
  });

  it('a timer fired late that reaches a terminate end closes every row, the waiting task among them', async () => {
    const definition = await compileDefinition(
      document(`
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="f2" sourceRef="fork" targetRef="task" /><userTask id="task" />
    <sequenceFlow id="f3" sourceRef="task" targetRef="e" /><endEvent id="e" />
    <sequenceFlow id="f4" sourceRef="fork" targetRef="late" />
    <intermediateCatchEvent id="late"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f5" sourceRef="late" targetRef="kill" />
    <endEvent id="kill"><terminateEventDefinition /></endEvent>`),
      ALL_EVENT_STARTS,
    );
    const now = () => new Date();
    const started = roundTrip(await startInstance({ definition }, { now }));
    expect(started.timers.map((t) => t.elementId)).toEqual(['late']);
    clock.advance(2 * 3600_000);
    const ended = await resumeAndApply(
      { definition, state: started.state },
      { type: 'fire-timer', timerId: started.timers[0]!.timerId },
      { now },
    );
    expect(ended.status).toBe('completed');
    expectHistoryClosed([...started.history, ...ended.history]);
  });
});

describe('a boundary timer that fell due while the instance rested', () => {
  // Camunda (camunda-boundary-timer-escalation's normal path, with the clock past 5 minutes before the
  // job executor ran): completing the task succeeds, takes the normal path and deletes the timer job.
  const clock = useFrozenClock();

  it("the user's completion before the job runs wins; the job then finds the instance ended", async () => {
    const definition = await corpus('camunda-boundary-timer-escalation');
    const now = () => new Date();
    const started = roundTrip(await startInstance({ definition }, { now }));
    expect(started.timers.map((t) => t.elementId)).toEqual(['escalationTimer']);
    clock.advance(10 * 60_000);
    const task = started.waits[0]!;
    // before: the timer fired as the state resumed, so the task was gone (NO_MATCHING_WAIT)
    const done = roundTrip(
      await resumeAndApply(
        { definition, state: started.state },
        { type: 'complete-task', executionId: task.executionId },
        { now },
      ),
    );
    expect(done.status).toBe('completed');
    expect(done.completedElements).toContain('normalEnd');
    expect(done.history.some((h) => h.elementId === 'escalationTimer' && h.outcome === 'completed')).toBe(
      false,
    );
    await expect(
      resumeAndApply(
        { definition, state: done.state },
        { type: 'fire-timer', timerId: started.timers[0]!.timerId },
        { now },
      ),
    ).rejects.toMatchObject({ code: 'INSTANCE_NOT_RUNNING' });
  });
});

describe('a sub-process interrupted by its boundary timer', () => {
  it('takes the boundary timers of the tasks inside with it: no timer job, no active id left', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="work" /><userTask id="work" name="work" />
      <boundaryEvent id="remind" attachedToRef="work"><timerEventDefinition><timeDuration>P7D</timeDuration></timerEventDefinition></boundaryEvent>
      <sequenceFlow id="sf2" sourceRef="remind" targetRef="reminded" /><userTask id="reminded" name="reminded" />
    </subProcess>
    <boundaryEvent id="expire" attachedToRef="sub"><timerEventDefinition><timeDuration>P1D</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="expire" targetRef="expired" /><userTask id="expired" name="expired" />`),
      ALL_EVENT_STARTS,
    );
    const d = await Driver.start(def);
    expect(d.snapshot.timers.map((t) => t.elementId).sort()).toEqual(['expire', 'remind']);
    await d.fire('expire');
    expect(d.waitNames).toEqual(['expired']);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.snapshot.activeElements).toEqual(['expired']);
    expect(d.log.find((e) => e.elementId === 'remind' && e.event === 'leave')?.outcome).toBe('cancelled');
  });
});

describe('a boundary event that catches what an overdue timer leads to', () => {
  // A timer inside a multi-instance sub-process fell due while the instance rested; its path ends in
  // an error (escalation, signal) end event that an interrupting boundary event of the sub-process catches.
  // The job's fire-timer on the recovered state interrupts the sub-process and takes the boundary path
  // (BPMN 2.0 §10.5.3: the activity is cancelled, the exception flow taken).
  const clock = useFrozenClock();
  const model = (end: string, catcher: string) =>
    document(
      `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
    <subProcess id="sub">
      <multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="wait" />
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <sequenceFlow id="sf2" sourceRef="wait" targetRef="fail" /><endEvent id="fail">${end}</endEvent>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="b" attachedToRef="sub">${catcher}</boundaryEvent>
    <sequenceFlow id="f3" sourceRef="b" targetRef="handle" /><userTask id="handle" />`,
      {
        rootExtra:
          '<error id="E" errorCode="E1" /><escalation id="X" escalationCode="X1" /><signal id="S" name="late" />',
      },
    );

  it.each([
    ['an error', '<errorEventDefinition errorRef="E" />'],
    ['an escalation', '<escalationEventDefinition escalationRef="X" />'],
    ['a signal', '<signalEventDefinition signalRef="S" />'],
  ])('%s end in a multi-instance sub-process, reached by a late timer, interrupts it', async (_, ref) => {
    const definition = await compileDefinition(model(ref, ref), ALL_EVENT_STARTS);
    const now = () => new Date();
    const started = roundTrip(await startInstance({ definition }, { now }));
    expect(started.timers.map((t) => t.elementId)).toEqual(['wait', 'wait']);
    clock.advance(2 * 3600_000);
    const state = { definition, state: started.state };
    // both timers are overdue; the job of one fires it, the other waits for its own
    const fired = roundTrip(
      await resumeAndApply(state, { type: 'fire-timer', timerId: started.timers[0]!.timerId }, { now }),
    );
    expect(fired.waits.map((w) => w.elementId)).toEqual(['handle']);
    expect(fired.activeElements).toEqual(['handle']);
    expect(fired.history.filter((h) => h.event === 'leave' && h.elementId === 'sub')).toMatchObject([
      { outcome: 'cancelled' },
    ]);
    const done = await resumeAndApply(
      { definition, state: fired.state },
      { type: 'complete-task', executionId: fired.waits[0]!.executionId },
      { now },
    );
    expect(done.status).toBe('completed');
    expect(done.completedElements).not.toContain('e');
    expectHistoryClosed([...started.history, ...fired.history, ...done.history]);
  });
});

describe('two timers of a sub-process that fell due while the instance rested', () => {
  // Its interrupting boundary timer and the timer of an event sub-process inside it. Each fires when
  // its own job runs, in either order (Camunda's job executor); once the boundary timer has ended the
  // scope, the event sub-process's timer is gone with it, which the job runner hears as UNKNOWN_TIMER.
  const clock = useFrozenClock();

  it.each([
    ['the boundary timer', 'expire'],
    ['the event sub-process timer', 'remind'],
  ])(
    'each fires by its own job, %s first; the boundary path ends the scope and its timer',
    async (_, first) => {
      const definition = await compileDefinition(
        document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
    <subProcess id="sub">
      <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="work" /><userTask id="work" />
      <subProcess id="esp" triggeredByEvent="true">
        <startEvent id="remind"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></startEvent>
        <sequenceFlow id="ef" sourceRef="remind" targetRef="chase" /><userTask id="chase" />
      </subProcess>
    </subProcess>
    <sequenceFlow id="f2" sourceRef="sub" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="expire" attachedToRef="sub"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f3" sourceRef="expire" targetRef="expired" /><userTask id="expired" />`),
        ALL_EVENT_STARTS,
      );
      const now = () => new Date();
      const started = roundTrip(await startInstance({ definition }, { now }));
      expect(started.timers.map((t) => t.elementId).sort()).toEqual(['expire', 'remind']);
      clock.advance(2 * 3600_000);
      const job = (id: string) => started.timers.find((t) => t.elementId === id)!.timerId;
      const fire = (state: unknown, id: string) =>
        resumeAndApply(
          { definition, state: state as typeof started.state },
          { type: 'fire-timer', timerId: job(id) },
          { now },
        );
      if (first === 'remind') {
        const reminded = roundTrip(await fire(started.state, 'remind'));
        expect(reminded.waits.map((w) => w.elementId)).toEqual(['chase']);
        const expired = await fire(reminded.state, 'expire');
        expect(expired.waits.map((w) => w.elementId)).toEqual(['expired']);
        expect(expired.timers).toEqual([]);
      } else {
        const expired = roundTrip(await fire(started.state, 'expire'));
        expect(expired.waits.map((w) => w.elementId)).toEqual(['expired']);
        expect(expired.timers).toEqual([]);
        // the event sub-process's job finds its scope gone (the job runner then resumes: nothing fires)
        await expect(fire(expired.state, 'remind')).rejects.toMatchObject({ code: 'UNKNOWN_TIMER' });
      }
    },
  );
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

describe('an error end event in a called child (call activity)', () => {
  const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"';
  const child = `<definitions ${NS}>
  <error id="rejected" errorCode="REJECTED" />
  <process id="child" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="review" />
    <userTask id="review" /><sequenceFlow id="f2" sourceRef="review" targetRef="gw" />
    <exclusiveGateway id="gw" default="f4" />
    <sequenceFlow id="f3" sourceRef="gw" targetRef="fail"><conditionExpression>\${ok == false}</conditionExpression></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="gw" targetRef="done" />
    <endEvent id="fail"><errorEventDefinition errorRef="rejected" /></endEvent>
    <endEvent id="done" />
  </process>
</definitions>`;
  const handle =
    '<sequenceFlow id="f3" sourceRef="onError" targetRef="handle" /><userTask id="handle" name="handle" />';
  const parent = (catcher: string) => `<definitions ${NS}>
  <error id="rejected" errorCode="REJECTED" />
  <error id="other" errorCode="OTHER" />
  <process id="parent" isExecutable="true">
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="call" />
    <callActivity id="call" calledElement="child" />
    <sequenceFlow id="f2" sourceRef="call" targetRef="after" /><userTask id="after" name="after" />
    ${catcher}
  </process>
</definitions>`;

  it('nothing catches it in the child: errorCatcherOf / uncaughtErrors name the code', async () => {
    const def = await compileDefinition(child);
    expect(errorCatcherOf(def, 'fail', 'REJECTED')).toBeUndefined();
    const d = await Driver.start(def);
    await d.complete('review', { ok: false });
    // the child ends like a none end event; the durable layer hands the code to the caller
    expect(d.status).toBe('completed');
    expect(uncaughtErrors(def, d.log)).toEqual(['REJECTED']);
  });

  it.each([
    [
      'an error boundary by code',
      '<boundaryEvent id="onError" attachedToRef="call"><errorEventDefinition errorRef="rejected" /></boundaryEvent>' +
        handle,
    ],
    [
      'a catch-all error boundary',
      '<boundaryEvent id="onError" attachedToRef="call"><errorEventDefinition /></boundaryEvent>' + handle,
    ],
  ])('the caller catches it with %s: the call activity is interrupted', async (_, catcher) => {
    const def = await compileDefinition(parent(catcher));
    expect(errorCatcherOf(def, 'call', 'REJECTED')?.id).toBe('onError');
    const d = await Driver.start(def);
    await d.apply({ type: 'bpmn-error', executionId: d.wait('call').executionId, errorCode: 'REJECTED' });
    expect(d.waitNames).toEqual(['handle']);
    expect(d.log.find((e) => e.elementId === 'call' && e.event === 'leave')?.outcome).toBe('cancelled');
  });

  it('a boundary for another code does not catch it', async () => {
    const def = await compileDefinition(
      parent(
        '<boundaryEvent id="onError" attachedToRef="call"><errorEventDefinition errorRef="other" /></boundaryEvent>' +
          handle,
      ),
    );
    expect(errorCatcherOf(def, 'call', 'REJECTED')).toBeUndefined();
  });

  it('an error event sub-process of the caller catches it', async () => {
    const def = await compileDefinition(
      parent(
        `<subProcess id="esp" triggeredByEvent="true">
        <startEvent id="onError"><errorEventDefinition errorRef="rejected" /></startEvent>
        <sequenceFlow id="ef" sourceRef="onError" targetRef="escalated" /><userTask id="escalated" name="escalated" />
      </subProcess>`,
      ),
    );
    expect(errorCatcherOf(def, 'call', 'REJECTED')?.id).toBe('onError');
  });
});
