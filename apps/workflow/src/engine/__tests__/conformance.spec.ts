/**
 * BPMN conformance corpus (fixtures/corpus, see its README): every path of
 * /work/shared/bpmn-corpus/SOURCES.md, driven through the public runtime API with a JSON
 * round-trip and a fresh engine recovery between every step.
 */
import { compileDefinition } from '../definition/compile';
import { DefinitionError } from '../errors';
import { startInstance } from '../runtime/runtime';
import type { Snapshot } from '../runtime/types';
import { deploy, Driver, fixture } from './helpers';

const corpus = (name: string) => deploy(`corpus/${name}.bpmn`);

describe('rvp-leave2: conditional flow out of a user task with default=', () => {
  it('leaveDays=5 takes only the conditional flow to 总经理', async () => {
    const d = await Driver.start(await corpus('rvp-leave2-exclusive-conditional-flow'));
    expect(d.waitNames).toEqual(['申请人']);
    expect(d.wait('申请人')).toMatchObject({ formKey: 'static:1', assignee: null });
    await d.complete('申请人');
    expect(d.waitNames).toEqual(['组长']);
    expect(d.wait('组长')).toMatchObject({ assignee: '1' });
    await d.complete('组长', { entity: { leaveDays: 5 } });
    expect(d.waitNames).toEqual(['总经理']);
    expect(d.wait('总经理').assignee).toBe('1');
    await d.complete('总经理');
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
    expect(d.entered('Activity_0iw78d3')).toBe(0);
    expect(d.snapshot.takenFlows).toContain('Flow_0bt4srq');
    expect(d.snapshot.takenFlows).not.toContain('Flow_1z12r58');
  });

  it('leaveDays=1 takes the default flow to 部门领导 (candidate groups 1-4)', async () => {
    const d = await Driver.start(await corpus('rvp-leave2-exclusive-conditional-flow'));
    await d.complete('申请人');
    await d.complete('组长', { entity: { leaveDays: 1 } });
    expect(d.waitNames).toEqual(['部门领导']);
    expect(d.wait('部门领导').candidateGroups).toEqual(['1', '2', '3', '4']);
    await d.complete('部门领导');
    expect(d.status).toBe('completed');
    expect(d.entered('Activity_1ex621m')).toBe(0);
  });
});

describe('rvp-leave3: parallel fork and join', () => {
  it.each([
    ['科研部门', '综合部门'],
    ['综合部门', '科研部门'],
  ])('joins after %s then %s', async (first, second) => {
    const d = await Driver.start(await corpus('rvp-leave3-parallel'));
    await d.complete('申请人');
    expect(d.waitNames).toEqual(['科研部门', '综合部门']);
    expect(d.wait('科研部门').candidateUsers).toEqual(['1', '3']);
    expect(d.wait('综合部门').assignee).toBe('1');
    await d.complete(first);
    expect(d.waitNames).toEqual([second]);
    await d.complete(second);
    expect(d.waitNames).toEqual(['总经理']);
    expect(d.wait('总经理').candidateUsers).toEqual(['1']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
    expect(d.entered('Gateway_05y03rn')).toBe(1);
  });
});

describe('rvp-leave4: inclusive split and join', () => {
  it('leaveDays=1: only 科研部门, the join does not wait', async () => {
    const d = await Driver.start(await corpus('rvp-leave4-inclusive'));
    await d.complete('申请人', { entity: { leaveDays: 1 } });
    expect(d.waitNames).toEqual(['科研部门']);
    await d.complete('科研部门');
    expect(d.waitNames).toEqual(['总经理']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
    expect(d.entered('Activity_0xun74h')).toBe(0);
  });

  it('leaveDays=3: both branches, then the join, then 总经理', async () => {
    const d = await Driver.start(await corpus('rvp-leave4-inclusive'));
    await d.complete('申请人', { entity: { leaveDays: 3 } });
    expect(d.waitNames).toEqual(['科研部门', '综合部门']);
    await d.complete('综合部门');
    expect(d.waitNames).toEqual(['科研部门']);
    await d.complete('科研部门');
    expect(d.waitNames).toEqual(['总经理']);
    await d.complete('总经理');
    expect(d.status).toBe('completed');
    expect(d.entered('Activity_1e8dxc6')).toBe(1);
  });
});

describe('rvp-leave5: countersign (会签) multi-instance', () => {
  async function runCountersign(d: Driver): Promise<void> {
    expect(d.waits.map((w) => w.assignee)).toEqual(['1']);
    expect(d.wait('串行会签').multiInstance).toMatchObject({
      index: 0,
      total: 2,
      isSequential: true,
      elementValue: '1',
    });
    await d.complete('串行会签');
    expect(d.waits.map((w) => w.assignee)).toEqual(['2']);
    expect(d.wait('串行会签').multiInstance).toMatchObject({ index: 1, total: 2 });
    await d.complete('串行会签');
    expect(d.waits.map((w) => [w.name, w.assignee])).toEqual([
      ['并行会签', '3'],
      ['并行会签', '4'],
    ]);
    await d.complete('并行会签', undefined, (w) => w.assignee === '4');
    expect(d.waits.map((w) => w.assignee)).toEqual(['3']);
    await d.complete('并行会签');
    expect(d.waitNames).toEqual(['总经理']);
    expect(d.wait('总经理').assignee).toBe('1');
    await d.complete('总经理');
    expect(d.status).toBe('completed');
  }

  it('with the lists given at start', async () => {
    const d = await Driver.start(await corpus('rvp-leave5-countersign-mi'), {
      variables: { userList: ['1', '2'], userList2: ['3', '4'] },
    });
    await d.complete('申请人');
    await runCountersign(d);
  });

  it('with the lists set when completing 申请人', async () => {
    const d = await Driver.start(await corpus('rvp-leave5-countersign-mi'));
    await d.complete('申请人', { userList: ['1', '2'], userList2: ['3', '4'] });
    await runCountersign(d);
  });
});

describe('rvp-leave6: embedded sub-process', () => {
  it('runs 申请人 → 组长 → 部门副经理 → 部门经理 → 总经理', async () => {
    const d = await Driver.start(await corpus('rvp-leave6-embedded-subprocess'));
    const order: string[] = [];
    for (const name of ['申请人', '组长', '部门副经理', '部门经理', '总经理']) {
      expect(d.waitNames).toEqual([name]);
      order.push(name);
      await d.complete(name);
    }
    expect(order).toHaveLength(5);
    expect(d.status).toBe('completed');
    const sub = d.definition.model.process.elements.find((e) => e.kind === 'subProcess')!;
    expect(d.log.filter((e) => e.elementId === sub.id).map((e) => e.event)).toEqual(['enter', 'leave']);
  });

  it('reports the sub-process as the scope of its tasks', async () => {
    const d = await Driver.start(await corpus('rvp-leave6-embedded-subprocess'));
    await d.complete('申请人');
    const sub = d.definition.model.process.elements.find((e) => e.kind === 'subProcess')!;
    expect(d.wait('组长').scopeId).toBe(sub.id);
    expect(d.snapshot.activeElements).toEqual(expect.arrayContaining([d.wait('组长').elementId]));
  });
});

describe('camunda-mi-parallel-collection-completion', () => {
  const assigneeList = ['kermit', 'gonzo', 'mispiggy', 'fozzie', 'bubba'];

  it('creates 5 tasks; 3 of 5 complete the node and cancel the other 2', async () => {
    const d = await Driver.start(await corpus('camunda-mi-parallel-collection-completion'), {
      variables: { assigneeList },
    });
    expect(d.waits.map((w) => w.assignee)).toEqual(assigneeList);
    expect(d.waitNames).toEqual(['My Task 0', 'My Task 1', 'My Task 2', 'My Task 3', 'My Task 4']);
    await d.complete('miTasks', undefined, (w) => w.assignee === 'fozzie');
    await d.complete('miTasks', undefined, (w) => w.assignee === 'kermit');
    expect(d.waits).toHaveLength(3);
    expect(d.status).toBe('running');
    await d.complete('miTasks', undefined, (w) => w.assignee === 'bubba');
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
    expect(d.log.filter((e) => e.elementId === 'theEnd' && e.event === 'enter')).toHaveLength(1);
  });

  it('ends at once with an empty collection', async () => {
    const d = await Driver.start(await corpus('camunda-mi-parallel-collection-completion'), {
      variables: { assigneeList: [] },
    });
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
  });
});

describe('camunda-parallel-nested-fork-join', () => {
  it('releases Join_B then Join_AB, then Task C', async () => {
    const d = await Driver.start(await corpus('camunda-parallel-nested-fork-join'));
    await d.complete('Task 0');
    expect(d.waitNames).toEqual(['Task A', 'Task B']);
    await d.complete('Task A');
    expect(d.waitNames).toEqual(['Task B']);
    await d.complete('Task B');
    expect(d.waitNames).toEqual(['Task B1', 'Task B2']);
    await d.complete('Task B1');
    expect(d.waitNames).toEqual(['Task B2']);
    await d.complete('Task B2');
    expect(d.waitNames).toEqual(['Task C']);
    await d.complete('Task C');
    expect(d.status).toBe('completed');
  });
});

describe('camunda-inclusive-split-merge', () => {
  it('input=1: Task 1 and Task 2, then exactly one Task 3', async () => {
    const d = await Driver.start(await corpus('camunda-inclusive-split-merge'), { variables: { input: 1 } });
    expect(d.waitNames).toEqual(['Task 1', 'Task 2']);
    await d.complete('Task 1');
    expect(d.waitNames).toEqual(['Task 2']);
    await d.complete('Task 2');
    expect(d.waitNames).toEqual(['Task 3']);
    await d.complete('Task 3');
    expect(d.status).toBe('completed');
    expect(d.entered('theTask3')).toBe(1);
  });

  it('input=2: only Task 2', async () => {
    const d = await Driver.start(await corpus('camunda-inclusive-split-merge'), { variables: { input: 2 } });
    expect(d.waitNames).toEqual(['Task 2']);
    await d.complete('Task 2');
    expect(d.waitNames).toEqual(['Task 3']);
    await d.complete('Task 3');
    expect(d.status).toBe('completed');
    expect(d.entered('theTask1')).toBe(0);
  });
});

describe('camunda-boundary-timer-escalation', () => {
  const t0 = new Date('2024-05-01T08:00:00.000Z');

  it('firing the timer cancels the first task and escalates', async () => {
    const d = await Driver.start(await corpus('camunda-boundary-timer-escalation'), {}, () => t0);
    expect(d.waitNames).toEqual(['First line support']);
    expect(d.wait('First line support').assignee).toBe('kermit');
    expect(d.snapshot.timers).toHaveLength(1);
    const timer = d.snapshot.timers[0]!;
    expect(timer).toMatchObject({
      elementId: 'escalationTimer',
      attachedTo: 'firstLineSupport',
      interrupting: true,
      timerType: 'timeDuration',
      value: 'PT5M',
    });
    // bpmn-engine computes expireAt from the real clock at the moment the timer starts
    const due = Date.parse(timer.dueAt) - Date.now();
    expect(due).toBeGreaterThan(4 * 60_000);
    expect(due).toBeLessThanOrEqual(5 * 60_000);

    await d.fire('escalationTimer');
    expect(d.waitNames).toEqual(['Handle escalated issue']);
    expect(d.wait('Handle escalated issue').candidateGroups).toEqual(['management']);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.log.find((e) => e.elementId === 'firstLineSupport' && e.event === 'leave')?.outcome).toBe(
      'cancelled',
    );
    await d.complete('Handle escalated issue');
    expect(d.status).toBe('completed');
    expect(d.entered('escalatedEnd')).toBe(1);
    expect(d.entered('normalEnd')).toBe(0);
  });

  it('completing the first task ends normally and cancels the timer', async () => {
    const d = await Driver.start(await corpus('camunda-boundary-timer-escalation'));
    const timerId = d.snapshot.timers[0]!.timerId;
    await d.complete('First line support');
    expect(d.status).toBe('completed');
    expect(d.snapshot.timers).toEqual([]);
    expect(d.entered('normalEnd')).toBe(1);
    expect(d.entered('handleEscalation')).toBe(0);
    await expect(d.apply({ type: 'fire-timer', timerId })).rejects.toMatchObject({
      code: 'INSTANCE_NOT_RUNNING',
    });
  });
});

describe('flowable-boundary-and-intermediate-timers', () => {
  it('reminder at +1h, intermediate timer, then the PT4H timer ends the process', async () => {
    const d = await Driver.start(await corpus('flowable-boundary-and-intermediate-timers'), {
      initiator: 'kermit',
    });
    expect(d.snapshot.variables['initiator']).toBe('kermit');
    expect(d.waitNames).toEqual(['First Task']);
    const byElement = Object.fromEntries(d.snapshot.timers.map((t) => [t.elementId, t]));
    expect(Object.keys(byElement).sort()).toEqual(['fireExecution', 'reminderTimer']);
    expect(
      Date.parse(byElement['fireExecution']!.dueAt) - Date.parse(byElement['reminderTimer']!.dueAt),
    ).toBeGreaterThan(3 * 3600_000 - 60_000);
    expect(byElement['reminderTimer']!.interrupting).toBe(false);

    await d.fire('reminderTimer'); // +61 min
    expect(d.waitNames).toEqual(['First Task', 'Reminder Task']);
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['fireExecution']);

    await d.complete('Reminder Task');
    expect(d.waitNames).toEqual(['First Task']);
    expect(d.snapshot.timers.map((t) => t.elementId).sort()).toEqual(['afterReminderTimer', 'fireExecution']);

    await d.fire('afterReminderTimer'); // +122 min: one token reaches the end, First Task still active
    expect(d.status).toBe('running');
    expect(d.entered('end')).toBe(1);
    expect(d.waitNames).toEqual(['First Task']);

    await d.fire('fireExecution'); // +243 min
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
    expect(d.entered('end')).toBe(2);
    expect(d.log.find((e) => e.elementId === 'firstTask' && e.event === 'leave')?.outcome).toBe('cancelled');
  });
});

describe('camunda-callactivity-in-out (+ simple sub-process)', () => {
  it('passes variables in and out through two child instances', async () => {
    const parentDef = await corpus('camunda-callactivity-in-out');
    const childDef = await corpus('camunda-callactivity-simple-subprocess');
    const parent = await Driver.start(parentDef, {
      variables: { superVariable: 'Hello from the super process.' },
    });

    // 1st call: in source=superVariable target=subVariable
    const call1 = parent.wait('callSubProcess');
    expect(call1.type).toBe('callActivity');
    expect(call1.callActivity).toMatchObject({
      calledElement: 'simpleSubProcess',
      binding: 'latest',
      variables: { subVariable: 'Hello from the super process.' },
    });
    expect(childDef.processId).toBe(call1.callActivity!.calledElement);
    const child1 = await Driver.start(childDef, { variables: call1.callActivity!.variables });
    expect(child1.waitNames).toEqual(['Task in subprocess']);
    expect(child1.snapshot.variables['subVariable']).toBe('Hello from the super process.');
    await child1.complete('Task in subprocess', { subVariable: 'Hello from sub process.' });
    expect(child1.status).toBe('completed');
    await parent.apply({
      type: 'child-completed',
      executionId: call1.executionId,
      variables: child1.snapshot.variables,
    });

    expect(parent.waitNames).toEqual(['Task in super process']);
    expect(parent.snapshot.variables['superVariable']).toBe('Hello from sub process.');
    // <camunda:out source ="myLocalVariable" .../>: read despite the space before '='; absent in the child → null
    expect(parent.snapshot.variables).toHaveProperty('hisLocalVariable', null);

    // 2nd call: sourceExpression ${x+5} in, ${y+5} out
    await parent.complete('Task in super process', { x: 5 });
    const call2 = parent.wait('callSubProcessWithExpression');
    expect(call2.callActivity!.variables).toEqual({ y: 10 });
    const child2 = await Driver.start(childDef, { variables: call2.callActivity!.variables });
    await child2.complete('Task in subprocess');
    await parent.apply({
      type: 'child-completed',
      executionId: call2.executionId,
      variables: child2.snapshot.variables,
    });
    expect(parent.waitNames).toEqual(['Task in super process']);
    expect(parent.snapshot.variables['z']).toBe(15);
    await parent.complete('Task in super process');
    expect(parent.status).toBe('completed');
  });
});

describe('files that must be refused at deploy', () => {
  it.each([
    ['REFUSE-camunda-groovy-script-mi', 'miScriptTask', /script task.*groovy/i],
    ['REFUSE-camunda-examples-javascript-script', 'ScriptTask_1', /script task.*javascript/i],
    [
      'REFUSE-camunda-examples-java-class-service',
      'ServiceTask_1',
      /class="org\.camunda\.quickstart\.servicetask\.invocation\.sync\.SynchronousServiceTask"/,
    ],
  ])('%s is refused naming %s', async (name, elementId, reason) => {
    const err = await compileDefinition(fixture(`corpus/${name}.bpmn`)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DefinitionError);
    const error = err as DefinitionError;
    expect(error.code).toBe('INVALID_DEFINITION');
    expect(error.elementId).toBe(elementId);
    expect(error.message).toContain(elementId);
    expect(error.issues[0]!.reason).toMatch(reason);
  });
});

describe('snapshots', () => {
  it('never embed the BPMN source and survive JSON', async () => {
    const def = await corpus('rvp-leave3-parallel');
    const snapshot: Snapshot = await startInstance({ definition: def, businessKey: 'LEAVE_202405_0001' });
    const json = JSON.stringify(snapshot.state);
    expect(json).not.toContain('sequenceFlows');
    expect(json).not.toContain('"source"');
    expect(json).not.toContain('<?xml');
    expect(JSON.parse(json)).toEqual(snapshot.state);
    expect(snapshot.businessKey).toBe('LEAVE_202405_0001');
  });
});
