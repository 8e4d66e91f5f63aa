/**
 * Flowable engine test files (fixtures/upstream/flowable-*, sources in its README), driven as their
 * Java tests do: event sub-processes, inclusive gateways inside them, timers on multi-instance
 * activities, nested multi-instance. Each step goes through save and recover and is compared with an
 * engine kept in memory.
 */
import { waitsFor } from '../definition/subscriptions';
import { deploy, Driver } from './helpers';

const upstream = (name: string) => deploy(`upstream/${name}`);
const ids = (d: Driver) => d.waits.map((w) => w.elementId).sort();

describe('a non-interrupting event sub-process once the scope’s own path has ended', () => {
  // TimerEventSubprocessTest.testNonInterruptingSubProcess
  it('timer cycle: one run per firing; once `task` is done no timer job is left, the runs finish', async () => {
    const d = await Driver.start(await upstream('flowable-timer-esp-nonint-cycle-subprocess.bpmn'));
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['eventProcessStart']);
    await d.fire('eventProcessStart');
    expect(ids(d)).toEqual(['eventSubProcessTask', 'task']);
    expect(d.snapshot.timers).toHaveLength(1);
    await d.fire('eventProcessStart');
    expect(ids(d)).toEqual(['eventSubProcessTask', 'eventSubProcessTask', 'task']);
    expect(d.snapshot.timers).toHaveLength(1);
    await d.complete('task');
    // the cycle (R3) had a firing left: it kept its job and would have started a third run
    expect(d.snapshot.timers).toEqual([]);
    expect(d.status).toBe('running');
    await d.complete('eventSubProcessTask');
    expect(d.status).toBe('running');
    await d.complete('eventSubProcessTask');
    expect(d.status).toBe('completed');
  });

  // MessageEventSubprocessTest.testNonInterruptingMultipleInstances (the path of its signal twin:
  // two events → three tasks; `task` done → no subscription; the runs finish)
  it('message: two runs side by side; once `task` is done the message is no longer waited for', async () => {
    const definition = await upstream('flowable-message-esp-nonint-twice.bpmn');
    const d = await Driver.start(definition);
    await d.apply({ type: 'message', name: 'newMessage' });
    await d.apply({ type: 'message', name: 'newMessage' });
    expect(ids(d)).toEqual(['eventSubProcessTask', 'eventSubProcessTask', 'task']);
    await d.complete('task');
    expect(waitsFor(definition, ['eventSubProcessTask'], 'message', 'newMessage')).toBe(false);
    await expect(d.apply({ type: 'message', name: 'newMessage' })).rejects.toThrow(
      /nothing in the instance waits/,
    );
    await d.complete('eventSubProcessTask');
    await d.complete('eventSubProcessTask');
    expect(d.status).toBe('completed');
    expect(d.entered('eventSubProcessTask')).toBe(2);
  });

  // ParallelGatewayTest.testNonTerminatingEndEventShouldNotRemoveSubscriptions
  it('one parallel branch reaching a none end event keeps the subscription while the other runs', async () => {
    const definition = await upstream('flowable-nonint-message-esp-parallel-ends.bpmn');
    const d = await Driver.start(definition);
    expect(d.waitNames).toEqual(['task 1']);
    await d.complete('task 1');
    await d.complete('task 2');
    expect(d.waitNames).toEqual(['task 3']);
    expect(waitsFor(definition, ['sid-83B9B6F6-ADA5-416B-805D-70BA473A09CD'], 'message', 'testmessage')).toBe(
      true,
    );
    await d.apply({ type: 'message', name: 'testmessage' });
    expect(d.waitNames).toEqual(['message task', 'task 3']);
    await d.complete('task 3');
    await expect(d.apply({ type: 'message', name: 'testmessage' })).rejects.toThrow(
      /nothing in the instance waits/,
    );
    await d.complete('message task');
    expect(d.status).toBe('completed');
  });
});

describe('an interrupting event sub-process without an id, around an embedded sub-process', () => {
  // TimerEventSubprocessTest.testInterruptingSubProcess and MessageEventSubprocessTest.testInterruptingSubProcess:
  // the event sub-process has no id (Flowable deploys it; it was refused, "a <subProcess> has no id")
  it.each([
    ['timer', 'flowable-timer-esp-interrupting-subprocess-no-id.bpmn'],
    ['message', 'flowable-message-esp-interrupting-subprocess-no-id.bpmn'],
  ])('%s: the event cancels `task`, the handler runs, nothing listens any more', async (kind, file) => {
    const definition = await upstream(file);
    const d = await Driver.start(definition);
    expect(ids(d)).toEqual(['task']);
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(kind === 'timer' ? ['eventProcessStart'] : []);
    if (kind === 'timer') await d.fire('eventProcessStart');
    else await d.apply({ type: 'message', name: 'eventMessage' });
    expect(ids(d)).toEqual(['eventSubProcessTask']);
    expect(d.snapshot.timers).toEqual([]);
    expect(waitsFor(definition, ['eventSubProcessTask'], 'message', 'eventMessage')).toBe(false);
    await d.complete('eventSubProcessTask');
    expect(d.status).toBe('completed');
    expect(d.entered('theEnd')).toBe(0);
    expect(d.entered('EventSubProcess_process_eventProcessStart')).toBe(1);
  });
});

describe('an error from a called process, caught on the sub-process around the call (ErrorPropagationTest)', () => {
  // the middle process of ErrorPropagationTest.test: its call activity gets the error its child's error
  // end event throws (`bpmn-error`, as the durable layer sends it); two boundary events on the
  // enclosing sub-process, a catch-all and one for `myError`
  it.each([
    ['myError', 'MyErrorTaskNested'],
    ['anotherError', 'OtherErrorsTaskNested'],
  ])('error %s: only %s runs', async (errorCode, task) => {
    const d = await Driver.start(await upstream('flowable-error-propagation-middle.bpmn'));
    const call = d.wait('callActivitySubprocessNested');
    expect(call.callActivity?.calledElement).toBe('throwError');
    await d.apply({ type: 'bpmn-error', executionId: call.executionId, errorCode });
    // bpmn-elements ran the catch-all's handler beside the specific one's: both tasks
    expect(d.waitNames).toEqual([task]);
    await d.complete(task);
    expect(d.status).toBe('completed');
    expect(d.entered('endSubprocessNested')).toBe(0);
  });
});

describe('gateways and multi-instance', () => {
  // InclusiveGatewayTest.testInclusiveGatewayInEventSubProcess (flowable issue 582)
  it('an inclusive split and join inside a non-interrupting event sub-process: both ways, then one join', async () => {
    const d = await Driver.start(await upstream('flowable-inclusive-in-event-subprocess.bpmn'), {
      variables: { test: true, test2: true },
    });
    expect(d.waitNames).toEqual(['My initial task']);
    await d.apply({ type: 'message', name: 'test' });
    expect(d.waitNames).toEqual(['My initial task', 'test', 'test2']);
    await d.complete('test');
    expect(d.waitNames).toEqual(['My initial task', 'test2']);
    await d.complete('test2');
    expect(d.entered('sid-492C047C-E4D7-4AEF-9BFB-E021060EB41B')).toBe(1);
    await d.complete('My initial task');
    expect(d.status).toBe('completed');
  });

  // BoundaryTimerEventTest.testTimerOnSyncMultiInstanceActivity
  it('a boundary timer on a parallel multi-instance task: one job for the whole body', async () => {
    const file = 'flowable-timer-boundary-parallel-mi.bpmn';
    let d = await Driver.start(await upstream(file));
    expect(d.waits).toHaveLength(3);
    expect(d.snapshot.timers).toHaveLength(1);
    await d.complete('multiInstanceTask');
    expect(d.snapshot.timers).toHaveLength(1);
    await d.complete('multiInstanceTask');
    expect(d.snapshot.timers).toHaveLength(1);
    await d.complete('multiInstanceTask');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.status).toBe('completed');
    // the timer does fire: every instance's task goes
    d = await Driver.start(await upstream(file));
    await d.fire('boundarytimer1');
    expect(d.waits).toEqual([]);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.status).toBe('completed');
    expect(d.entered('endevent2')).toBe(1);
  });

  // MultiInstanceTest.testZeroLoopCardinalityOnParallelSubprocessWithEventSubscription
  it('a parallel multi-instance sub-process of cardinality 0 with a message boundary: the process ends', async () => {
    const d = await Driver.start(await upstream('flowable-mi-zero-cardinality-message-boundary.bpmn'));
    expect(d.status).toBe('completed');
    expect(d.entered('usertask1')).toBe(0);
    expect(d.entered('manualtask1')).toBe(0);
  });

  // MultiInstanceTest.testNestedMultiInstanceTasks
  it('a parallel multi-instance task inside a parallel multi-instance sub-process: 2 × 2 tasks', async () => {
    const d = await Driver.start(await upstream('flowable-mi-nested-parallel-tasks.bpmn'), {
      variables: { subProcesses: ['process A', 'process B'], assignees: ['kermit', 'gonzo'] },
    });
    expect(d.waits.map((w) => [w.name, w.assignee]).sort()).toEqual([
      ['My Task 0', 'kermit_0'],
      ['My Task 0', 'kermit_0'],
      ['My Task 1', 'kermit_1'],
      ['My Task 1', 'kermit_1'],
    ]);
    // the Java test completes each with assignee=1 (a variable of the task's own scope)
    while (d.waits.length) await d.complete('miTasks', { assignee: '1' });
    expect(d.status).toBe('completed');
  });
});
