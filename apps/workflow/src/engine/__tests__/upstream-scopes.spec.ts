/**
 * Camunda test files outside the conformance corpus (fixtures/upstream, sources in its README), driven
 * as their Java tests do: what ends when a scope is cancelled. Each step goes through save and recover
 * and is compared with an engine kept in memory (the workflow app keeps recent engines warm).
 */
import { compileDefinition } from '../definition/compile';
import { waitsFor } from '../definition/subscriptions';
import { ALL_EVENT_STARTS, deploy, Driver } from './helpers';
import { document } from './bpmn';

const upstream = (name: string) => deploy(`upstream/${name}`);

describe('an interrupting boundary event on a sub-process (SubProcessTest)', () => {
  // testTwoNestedSubProcessesInParallelWithTimer: A done and waiting at the join, then the outer timer
  it('cancels the whole sub-process: the join inside it does not complete with the branch it held', async () => {
    const d = await Driver.start(await upstream('camunda-subprocess-two-nested-parallel-timer.bpmn'));
    expect(d.waitNames).toEqual(['Task in subprocess A', 'Task in subprocess B']);
    await d.complete('subProcessATask');
    expect(d.waitNames).toEqual(['Task in subprocess B']);
    await d.fire('timer');
    expect(d.waitNames).toEqual(['Task after timer']);
    // bpmn-engine passed the cancelled branch B on as a discard: the join went on to the end event
    expect(d.entered('join')).toBe(0);
    expect(d.entered('outerSubProcessEnd')).toBe(0);
    expect(d.entered('taskAfterSubProcess')).toBe(0);
    await d.complete('taskAfterTimer');
    expect(d.status).toBe('completed');
  });

  it('runs the normal path when both branches finish first', async () => {
    const d = await Driver.start(await upstream('camunda-subprocess-two-nested-parallel-timer.bpmn'));
    await d.complete('subProcessATask');
    await d.complete('subProcessBTask');
    expect(d.waitNames).toEqual(['Task after subprocess']);
    expect(d.snapshot.timers).toEqual([]);
    await d.complete('taskAfterSubProcess');
    expect(d.status).toBe('completed');
  });
});

describe('an interrupting event sub-process removes the other event subscriptions of its scope', () => {
  const file = 'camunda-interrupting-esp-cancel-subscriptions.bpmn';

  // InterruptingEventSubProcessTest.testCancelEventSubscriptionsWhenReceivingAMessage
  it('after the message, the signal event sub-process no longer starts', async () => {
    const definition = await upstream(file);
    const d = await Driver.start(definition);
    expect(d.waitNames).toEqual(['taskBeforeInterruptingEventSuprocess']);
    await d.apply({ type: 'message', name: 'newMessage' });
    expect(d.waitNames).toEqual(['taskAfterMessageStartEvent']);
    // Camunda: 0 subscriptions, signalEventReceived fails; the durable layer routes by waitsFor
    expect(waitsFor(definition, ['taskAfterMessageStartEvent'], 'signal', 'newSignal')).toBe(false);
    expect(waitsFor(definition, ['taskAfterMessageStartEvent'], 'message', 'newMessage')).toBe(false);
    await d.apply({ type: 'signal', name: 'newSignal' });
    expect(d.waitNames).toEqual(['taskAfterMessageStartEvent']);
    expect(d.entered('SubProcess_2')).toBe(0);
    await d.complete('taskAfterMessageStartEvent');
    expect(d.status).toBe('completed');
  });

  // ...WhenReceivingASignal
  it('after the signal, the message event sub-process no longer starts', async () => {
    const definition = await upstream(file);
    const d = await Driver.start(definition);
    expect(waitsFor(definition, ['taskBeforeInterruptingEventSuprocess'], 'message', 'newMessage')).toBe(
      true,
    );
    await d.apply({ type: 'signal', name: 'newSignal' });
    expect(d.waitNames).toEqual(['tastAfterSignalStartEvent']);
    await expect(d.apply({ type: 'message', name: 'newMessage' })).rejects.toThrow(/nothing .* waits/);
    expect(d.waitNames).toEqual(['tastAfterSignalStartEvent']);
    await d.complete('tastAfterSignalStartEvent');
    expect(d.status).toBe('completed');
  });

  // MessageEventSubprocessTest.testTwoInterruptingUnderProcessDefinition: unused subscriptions deleted
  it('two interrupting message event sub-processes: the second message after the first is refused', async () => {
    const d = await Driver.start(await upstream('camunda-message-esp-two-interrupting.bpmn'));
    await d.apply({ type: 'message', name: 'newMessage' });
    expect(d.waits.map((w) => w.elementId)).toEqual(['eventSubProcessTask']);
    await expect(d.apply({ type: 'message', name: 'newMessage2' })).rejects.toThrow(/nothing .* waits/);
    await d.complete('eventSubProcessTask');
    expect(d.status).toBe('completed');
    expect(d.entered('sub2')).toBe(0);
  });

  // InterruptingEventSubProcessTest.testCancelTimer, with the timer on an event sub-process of the scope
  const scopeBody = `<userTask id="work" />
    <subProcess id="onMessage" triggeredByEvent="true">
      <startEvent id="ms"><messageEventDefinition messageRef="M" /></startEvent>
      <sequenceFlow id="m1" sourceRef="ms" targetRef="handle" /><userTask id="handle" />
    </subProcess>
    <subProcess id="onTimer" triggeredByEvent="true">
      <startEvent id="ts"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></startEvent>
      <sequenceFlow id="t1" sourceRef="ts" targetRef="late" /><userTask id="late" />
    </subProcess>`;
  it.each([
    [
      'the process',
      scopeBody.replace(
        '<userTask id="work" />',
        '<userTask id="work" /><sequenceFlow id="f2" sourceRef="work" targetRef="e" /><endEvent id="e" />',
      ),
    ],
    [
      'an embedded sub-process',
      `<subProcess id="sub"><startEvent id="ss" /><sequenceFlow id="s1" sourceRef="ss" targetRef="work" />${scopeBody}</subProcess>
       <sequenceFlow id="f2" sourceRef="sub" targetRef="after" /><userTask id="after" />`,
    ],
  ])('drops the timer of another event sub-process of %s (its job)', async (_scope, body) => {
    const first = body.startsWith('<subProcess') ? 'sub' : 'work';
    const xml = document(
      `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="${first}" />${body}`,
    );
    const definition = await compileDefinition(
      xml.replace('<process', '<message id="M" name="go" /><process'),
      ALL_EVENT_STARTS,
    );
    const d = await Driver.start(definition);
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['ts']);
    await d.apply({ type: 'message', name: 'go' });
    expect(d.waits.map((w) => w.elementId)).toEqual(['handle']);
    expect(d.snapshot.timers).toEqual([]);
    await expect(d.apply({ type: 'message', name: 'go' })).rejects.toThrow(/nothing .* waits/);
    await d.complete('handle');
    expect(d.status).toBe(first === 'sub' ? 'running' : 'completed');
  });
});

describe('an interrupting event sub-process in a multi-instance sub-process', () => {
  // each iteration is a scope of its own (Camunda): iteration 10's handler leaves the others listening
  it('ends the subscriptions of its own iteration only, also past ten iterations', async () => {
    const xml = document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">
        <multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>11</loopCardinality></multiInstanceLoopCharacteristics>
        <startEvent id="ss" /><sequenceFlow id="s1" sourceRef="ss" targetRef="work" /><userTask id="work" />
        <subProcess id="onMessage" triggeredByEvent="true">
          <startEvent id="ms"><messageEventDefinition messageRef="M" /></startEvent>
          <sequenceFlow id="m1" sourceRef="ms" targetRef="handle" /><userTask id="handle" />
        </subProcess>
      </subProcess>
      <sequenceFlow id="f2" sourceRef="sub" targetRef="after" /><userTask id="after" />`);
    const d = await Driver.start(
      await compileDefinition(
        xml.replace('<process', '<message id="M" name="go" /><process'),
        ALL_EVENT_STARTS,
      ),
    );
    const works = d.waits.filter((w) => w.elementId === 'work');
    expect(works).toHaveLength(11);
    await d.apply({ type: 'message', name: 'go', executionId: works[10]!.executionId });
    await expect(
      d.apply({ type: 'message', name: 'go', executionId: d.wait('handle').executionId }),
    ).rejects.toThrow(/does not wait/);
    // iteration 1's id is a prefix of iteration 10's: its event sub-process still listens
    await d.apply({ type: 'message', name: 'go', executionId: works[1]!.executionId });
    expect(d.waits.filter((w) => w.elementId === 'handle')).toHaveLength(2);
    expect(d.waits.filter((w) => w.elementId === 'work')).toHaveLength(9);
  });
});
