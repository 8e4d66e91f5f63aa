import { compileDefinition, DefinitionCache } from '../definition/compile';
import { EngineError } from '../errors';
import { resumeAndApply, startInstance } from '../runtime/runtime';
import type { Command, InstanceState } from '../runtime/types';
import { document, linear } from './bpmn';
import { deploy, Driver, fixture, roundTrip } from './helpers';

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

describe('commands on waits', () => {
  it('refuses to complete an unknown execution', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'));
    const err = await failure(d.apply({ type: 'complete-task', executionId: 'no-such-execution' }));
    expect(err.code).toBe('UNKNOWN_EXECUTION');
  });

  it('refuses to complete a task twice (bpmn-engine would silently ignore it)', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'));
    await d.complete('申请人');
    const first = d.wait('综合部门').executionId;
    const savedBefore = roundTrip(d.snapshot.state);
    await d.complete('综合部门');
    const err = await failure(d.apply({ type: 'complete-task', executionId: first }));
    expect(err.code).toBe('UNKNOWN_EXECUTION');
    // a second completion racing on the old saved state is the durable layer's job (row lock + version);
    // the engine itself answers deterministically from whatever state it is given:
    const replay = await resumeAndApply(
      { definition: d.definition, state: savedBefore },
      { type: 'complete-task', executionId: first },
    );
    expect(replay.waits.map((w) => w.name)).toEqual(['科研部门']);
  });

  it('refuses commands after the end', async () => {
    const d = await Driver.start(await deploy('corpus/camunda-callactivity-simple-subprocess.bpmn'));
    const task = d.wait('task').executionId;
    await d.complete('task');
    expect(d.status).toBe('completed');
    expect((await failure(d.apply({ type: 'complete-task', executionId: task }))).code).toBe(
      'INSTANCE_NOT_RUNNING',
    );
    expect((await failure(d.apply({ type: 'cancel' }))).code).toBe('INSTANCE_NOT_RUNNING');
  });

  it('refuses unknown timers', async () => {
    const d = await Driver.start(await deploy('corpus/camunda-boundary-timer-escalation.bpmn'));
    expect((await failure(d.apply({ type: 'fire-timer', timerId: 'nope' }))).code).toBe('UNKNOWN_TIMER');
  });

  it('refuses commands of the wrong kind', async () => {
    const parent = await Driver.start(await deploy('corpus/camunda-callactivity-in-out.bpmn'), {
      variables: { superVariable: 's' },
    });
    const call = parent.wait('callSubProcess').executionId;
    expect((await failure(parent.apply({ type: 'complete-task', executionId: call }))).code).toBe(
      'INVALID_COMMAND',
    );
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'));
    const task = d.wait('申请人').executionId;
    expect((await failure(d.apply({ type: 'child-completed', executionId: task, variables: {} }))).code).toBe(
      'INVALID_COMMAND',
    );
    expect((await failure(d.apply({ type: 'explode' } as unknown as Command))).code).toBe('INVALID_COMMAND');
    expect((await failure(d.apply({ type: 'complete-task' } as unknown as Command))).code).toBe(
      'INVALID_COMMAND',
    );
  });

  it('cancels an instance', async () => {
    const d = await Driver.start(await deploy('corpus/flowable-boundary-and-intermediate-timers.bpmn'));
    await d.apply({ type: 'cancel' });
    expect(d.status).toBe('cancelled');
    expect(d.waits).toEqual([]);
    expect(d.snapshot.timers).toEqual([]);
    expect(d.snapshot.state.endedAt).not.toBeNull();
    expect(d.snapshot.history.find((e) => e.elementId === 'firstTask')).toMatchObject({
      event: 'leave',
      outcome: 'cancelled',
    });
    expect(d.snapshot.history.find((e) => e.elementType === 'process')).toMatchObject({
      event: 'leave',
      outcome: 'cancelled',
    });
  });
});

describe('variables', () => {
  it.each<[string, Record<string, unknown>]>([
    ['a function', { f: () => 1 }],
    ['a class instance', { m: new Map() }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>],
    ['a constructor key', { nested: { constructor: 1 } }],
    ['NaN', { n: Number.NaN }],
    ['a bigint', { b: BigInt(1) }],
  ])('refuses %s', async (_, variables) => {
    const def = await deploy('corpus/rvp-leave3-parallel.bpmn');
    expect((await failure(startInstance({ definition: def, variables }))).code).toBe('INVALID_VARIABLES');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses cycles and turns dates into ISO text', async () => {
    const def = await deploy('corpus/rvp-leave3-parallel.bpmn');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect((await failure(startInstance({ definition: def, variables: { cyclic } }))).code).toBe(
      'INVALID_VARIABLES',
    );
    const s = await startInstance({ definition: def, variables: { when: new Date('2024-01-02T03:04:05Z') } });
    expect(s.variables['when']).toBe('2024-01-02T03:04:05.000Z');
  });

  // Flowable's ProcessInstanceHelper: the valued data objects of the process become variables at the
  // start, typed by itemSubjectRef; the start variables are set after them
  const withDataObjects = (inSub = '') =>
    document(`<dataObject id="d1" name="title" itemSubjectRef="xsd:string"><extensionElements><flowable:value>Leave</flowable:value></extensionElements></dataObject>
      <dataObject id="d2" name="urgent" itemSubjectRef="xsd:boolean"><extensionElements><flowable:value>true</flowable:value></extensionElements></dataObject>
      <dataObject id="d3" name="days" itemSubjectRef="xsd:int"><extensionElements><flowable:value>3</flowable:value></extensionElements></dataObject>
      <dataObject id="d4" name="rate" itemSubjectRef="xsd:double"><extensionElements><activiti:value>0.5</activiti:value></extensionElements></dataObject>
      <dataObject id="d5" name="plain" itemSubjectRef="xsd:string" />
      <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="gw" /><exclusiveGateway id="gw" default="toB" />
      <sequenceFlow id="toA" sourceRef="gw" targetRef="a"><conditionExpression>\${urgent &amp;&amp; days &gt; 2}</conditionExpression></sequenceFlow>
      <sequenceFlow id="toB" sourceRef="gw" targetRef="b" /><userTask id="a" /><userTask id="b" />${inSub}`);

  it('sets the valued data objects of the process as variables at the start; start variables win', async () => {
    const def = await compileDefinition(withDataObjects());
    const d = await Driver.start(def, { variables: { days: 1 } });
    expect(d.snapshot.variables).toEqual({ title: 'Leave', urgent: true, days: 1, rate: 0.5 });
    expect(d.waits.map((w) => w.elementId)).toEqual(['b']);
    const other = await Driver.start(def);
    expect(other.waits.map((w) => w.elementId)).toEqual(['a']);
  });

  it('refuses a valued data object inside a sub-process, naming it', async () => {
    await expect(
      compileDefinition(
        withDataObjects(`<sequenceFlow id="g0" sourceRef="b" targetRef="sp" /><subProcess id="sp"><dataObject id="d9" name="local" itemSubjectRef="xsd:string">
          <extensionElements><flowable:value>x</flowable:value></extensionElements></dataObject>
          <startEvent id="ss" /><sequenceFlow id="g1" sourceRef="ss" targetRef="se" /><endEvent id="se" /></subProcess>`),
      ),
    ).rejects.toMatchObject({ issues: [{ elementId: 'd9' }] });
  });

  it('merges task variables into the process variables', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'), {
      variables: { a: 1, keep: true },
    });
    await d.complete('申请人', { a: 2, b: { nested: [1, 2] } });
    expect(d.snapshot.variables).toEqual({ a: 2, keep: true, b: { nested: [1, 2] } });
  });
});

describe('failures leave the saved state usable', () => {
  it('a condition on an unknown variable fails the command with the flow id', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave2-exclusive-conditional-flow.bpmn'));
    await d.complete('申请人');
    const saved = roundTrip(d.snapshot.state);
    const err = await failure(d.complete('组长'));
    expect(err.code).toBe('EXPRESSION_FAILED');
    expect(err.elementId).toBe('Flow_0bt4srq');
    expect(err.message).toMatch(/unknown variable 'entity'/);
    // the durable layer rolls back: the same saved state accepts the corrected command
    const retry = await resumeAndApply(
      { definition: d.definition, state: saved },
      {
        type: 'complete-task',
        executionId: d.wait('组长').executionId,
        variables: { entity: { leaveDays: 9 } },
      },
    );
    expect(retry.waits.map((w) => w.name)).toEqual(['总经理']);
  });

  it('a multi-instance collection that is not a list fails closed', async () => {
    const def = await deploy('corpus/rvp-leave5-countersign-mi.bpmn');
    const d = await Driver.start(def, { variables: { userList: 'not-a-list', userList2: [] } });
    const err = await failure(d.complete('申请人'));
    expect(err.code).toBe('EXPRESSION_FAILED');
    expect(err.elementId).toBe('Activity_0dvsmdc');
  });

  it('rejects states of another process, format or shape', async () => {
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'));
    const other = await deploy('corpus/rvp-leave2-exclusive-conditional-flow.bpmn');
    const cmd: Command = { type: 'cancel' };
    expect((await failure(resumeAndApply({ definition: other, state: d.snapshot.state }, cmd))).code).toBe(
      'INVALID_STATE',
    );
    const wrongFormat = { ...d.snapshot.state, format: 'v0' } as unknown as InstanceState;
    expect((await failure(resumeAndApply({ definition: d.definition, state: wrongFormat }, cmd))).code).toBe(
      'INVALID_STATE',
    );
    const garbage = { ...d.snapshot.state, engine: { definitions: 'x' } } as unknown as InstanceState;
    expect((await failure(resumeAndApply({ definition: d.definition, state: garbage }, cmd))).code).toBe(
      'INVALID_STATE',
    );
  });
});

describe('messages, signals and external tasks', () => {
  const def = () => deploy('flowdesk/order-events.bpmn');

  it('runs receive task → user task with boundary message → signal catch → external task', async () => {
    const d = await Driver.start(await def());
    expect(d.waits).toMatchObject([
      { elementId: 'awaitPayment', type: 'receiveTask', eventName: 'PaymentReceived' },
    ]);
    expect(d.snapshot.takenFlows).toEqual(['Flow_start_awaitPayment']);
    expect((await failure(d.apply({ type: 'message', name: 'Unknown' }))).code).toBe('NO_MATCHING_WAIT');

    await d.apply({ type: 'message', name: 'PaymentReceived', variables: { amount: 10 } });
    expect(d.snapshot.variables['amount']).toBe(10);
    expect(d.waits.map((w) => [w.elementId, w.type, w.eventName, w.attachedTo])).toEqual([
      ['cancelled', 'message', 'OrderCancelled', 'ship'],
      ['ship', 'userTask', null, null],
    ]);
    const boundary = d.wait('cancelled').executionId;
    expect((await failure(d.apply({ type: 'complete-task', executionId: boundary }))).code).toBe(
      'INVALID_COMMAND',
    );

    await d.complete('ship');
    expect(d.waits).toMatchObject([{ elementId: 'waitHoliday', type: 'signal', eventName: 'HolidayOver' }]);
    await d.apply({ type: 'signal', name: 'SomethingElse' });
    expect(d.waits.map((w) => w.elementId)).toEqual(['waitHoliday']);
    await d.apply({ type: 'signal', name: 'HolidayOver' });
    expect(d.waits).toMatchObject([
      { elementId: 'bill', type: 'externalTask', topic: 'billing', elementKind: 'serviceTask' },
    ]);
    await d.complete('bill', { invoice: 'INV-1' });
    expect(d.status).toBe('completed');
    expect(d.entered('end')).toBe(1);
  });

  it('a receive task can also be completed directly', async () => {
    const d = await Driver.start(await def());
    await d.complete('awaitPayment', { paidBy: 'transfer' });
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['cancelled', 'ship']);
    expect(d.snapshot.variables['paidBy']).toBe('transfer');
  });

  it('a boundary message interrupts the task', async () => {
    const d = await Driver.start(await def());
    await d.apply({ type: 'message', name: 'PaymentReceived' });
    await d.apply({ type: 'message', name: 'OrderCancelled' });
    expect(d.status).toBe('completed');
    expect(d.entered('cancelEnd')).toBe(1);
    expect(d.entered('waitHoliday')).toBe(0);
  });
});

describe('multi-instance details', () => {
  it('a multi-instance sub-process gives each inner task its own item', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub">
          <multiInstanceLoopCharacteristics camunda:collection="\${reviewers}" camunda:elementVariable="reviewer" />
          <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="review" />
          <userTask id="review" name="Review by \${reviewer}" camunda:assignee="\${reviewer}" />
          <sequenceFlow id="sf2" sourceRef="review" targetRef="se" /><endEvent id="se" />
        </subProcess>
        <sequenceFlow id="f2" sourceRef="sub" targetRef="e" /><endEvent id="e" />`),
    );
    const d = await Driver.start(def, { variables: { reviewers: ['r1', 'r2'] } });
    expect(d.waits.map((w) => [w.name, w.assignee, w.scopeId])).toEqual([
      ['Review by r1', 'r1', 'sub'],
      ['Review by r2', 'r2', 'sub'],
    ]);
    await d.complete('review', {}, (w) => w.assignee === 'r2');
    expect(d.waits.map((w) => w.assignee)).toEqual(['r1']);
    await d.complete('review');
    expect(d.status).toBe('completed');
  });

  it.each([
    ['an exclusive gateway', '<exclusiveGateway id="xor" default="d" />', 'xor'],
    ['the task itself (conditional flows)', '', 'work'],
  ])(
    "conditions out of %s inside a multi-instance sub-process read the iteration's loopCounter and item",
    async (_, gateway, from) => {
      // Camunda: loopCounter and the element variable are local variables of the iteration's scope,
      // visible to every expression evaluated in it (before: "unknown variable 'loopCounter'")
      const def = await compileDefinition(
        document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub"><multiInstanceLoopCharacteristics camunda:collection="\${items}" camunda:elementVariable="item" />
          <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="work" /><userTask id="work" name="work \${item}" />
          ${gateway ? `<sequenceFlow id="sf2" sourceRef="work" targetRef="xor" />${gateway}` : ''}
          <sequenceFlow id="c" sourceRef="${from}" targetRef="first"><conditionExpression>\${loopCounter == 0 &amp;&amp; item == 'a'}</conditionExpression></sequenceFlow>
          ${gateway ? `<sequenceFlow id="d" sourceRef="xor" targetRef="other" />` : `<sequenceFlow id="d" sourceRef="work" targetRef="other"><conditionExpression>\${loopCounter != 0}</conditionExpression></sequenceFlow>`}
          <userTask id="first" name="first \${item}" /><userTask id="other" name="other \${item}" />
        </subProcess>`),
      );
      const d = await Driver.start(def, { variables: { items: ['a', 'b'] } });
      await d.complete('work', {}, (w) => w.name === 'work b');
      await d.complete('work', {}, (w) => w.name === 'work a');
      expect(d.waitNames).toEqual(['first a', 'other b']);
    },
  );

  it('a sequential loop by cardinality stops when its completion condition (loopCounter) holds', async () => {
    const def = await compileDefinition(
      linear(`<userTask id="t" name="Round \${loopCounter + 1} of \${nrOfInstances}">
        <multiInstanceLoopCharacteristics isSequential="true"><loopCardinality>5</loopCardinality>
          <completionCondition>\${loopCounter &gt;= 1 &amp;&amp; nrOfActiveInstances == 1}</completionCondition>
        </multiInstanceLoopCharacteristics></userTask>`),
    );
    const d = await Driver.start(def);
    expect(d.waitNames).toEqual(['Round 1 of 5']);
    await d.complete('t');
    expect(d.waitNames).toEqual(['Round 2 of 5']);
    await d.complete('t');
    expect(d.status).toBe('completed');
  });
});

describe('call activities', () => {
  it('passes all variables, the business key and expression inputs; maps all outputs back', async () => {
    const def = await compileDefinition(
      linear(`<callActivity id="t" calledElement="\${childKey}">
        <extensionElements>
          <camunda:in variables="all" />
          <camunda:in businessKey="#{execution.processBusinessKey}" />
          <camunda:in sourceExpression="\${amount * 2}" target="doubled" />
          <camunda:out variables="all" />
        </extensionElements></callActivity>`),
    );
    const d = await Driver.start(def, {
      businessKey: 'ORDER-7',
      variables: { childKey: 'payment', amount: 21 },
    });
    const call = d.wait('t').callActivity!;
    expect(call).toEqual({
      calledElement: 'payment',
      binding: 'latest',
      version: null,
      businessKey: 'ORDER-7',
      variables: { childKey: 'payment', amount: 21, doubled: 42 },
    });
    await d.apply({
      type: 'child-completed',
      executionId: d.wait('t').executionId,
      variables: { receipt: 'R-1', amount: 20 },
    });
    expect(d.status).toBe('completed');
    expect(d.snapshot.variables).toEqual({ childKey: 'payment', amount: 20, receipt: 'R-1' });
  });

  // Camunda's MultiInstanceTest.testSequentialCallActivityWithList: `camunda:in source="element"` on a
  // multi-instance call activity reads the iteration's execution, so each child gets its own item
  it('a multi-instance call passes each iteration its element variable and loopCounter', async () => {
    const def = await compileDefinition(
      linear(`<callActivity id="t" calledElement="child">
        <extensionElements>
          <camunda:in source="item" target="item" />
          <camunda:in source="loopCounter" target="n" />
        </extensionElements>
        <multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${items}" camunda:elementVariable="item" />
        </callActivity>`),
    );
    const d = await Driver.start(def, { variables: { items: ['one', 'two'] } });
    expect(d.waits.map((w) => w.callActivity!.variables)).toEqual([
      { item: 'one', n: 0 },
      { item: 'two', n: 1 },
    ]);
  });

  it('variables="all" on a sequential multi-instance call includes the iteration\'s variables', async () => {
    const def = await compileDefinition(
      linear(`<callActivity id="t" calledElement="child">
        <extensionElements><camunda:in variables="all" /></extensionElements>
        <multiInstanceLoopCharacteristics isSequential="true" camunda:collection="\${items}" camunda:elementVariable="item" />
        </callActivity>`),
    );
    const d = await Driver.start(def, { variables: { items: ['one', 'two'] } });
    expect(d.wait('t').callActivity!.variables).toMatchObject({
      items: ['one', 'two'],
      item: 'one',
      loopCounter: 0,
    });
    await d.apply({ type: 'child-completed', executionId: d.wait('t').executionId, variables: {} });
    expect(d.wait('t').callActivity!.variables).toMatchObject({ item: 'two', loopCounter: 1 });
  });
});

describe('ends and errors', () => {
  it('a terminate end event ends the instance and closes the other branch in the history', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" /><parallelGateway id="fork" />
        <sequenceFlow id="f2" sourceRef="fork" targetRef="a" /><sequenceFlow id="f3" sourceRef="fork" targetRef="b" />
        <userTask id="a" /><userTask id="b" /><sequenceFlow id="f4" sourceRef="b" targetRef="kill" />
        <endEvent id="kill"><terminateEventDefinition /></endEvent><sequenceFlow id="f5" sourceRef="a" targetRef="e" /><endEvent id="e" />`),
    );
    const d = await Driver.start(def);
    await d.complete('b');
    expect(d.status).toBe('completed');
    expect(d.waits).toEqual([]);
    const leaves = d.snapshot.history.filter((e) => e.event === 'leave').map((e) => [e.elementId, e.outcome]);
    expect(leaves).toEqual([
      ['kill', 'completed'],
      ['b', 'completed'],
      ['a', 'cancelled'],
      ['p', 'completed'],
    ]);
  });

  it('a BPMN error end event is caught by an error boundary event', async () => {
    const def = await compileDefinition(
      document(
        `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub"><startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="t" /><userTask id="t" />
          <sequenceFlow id="sf2" sourceRef="t" targetRef="err" /><endEvent id="err"><errorEventDefinition errorRef="E1" /></endEvent></subProcess>
        <boundaryEvent id="catch" attachedToRef="sub"><errorEventDefinition errorRef="E1" /></boundaryEvent>
        <sequenceFlow id="f2" sourceRef="catch" targetRef="fix" /><userTask id="fix" /><sequenceFlow id="f3" sourceRef="fix" targetRef="e" />
        <sequenceFlow id="f4" sourceRef="sub" targetRef="e" /><endEvent id="e" />`,
        { rootExtra: '<error id="E1" errorCode="BAD" />' },
      ),
    );
    const d = await Driver.start(def);
    await d.complete('t');
    expect(d.waits.map((w) => w.elementId)).toEqual(['fix']);
    await d.complete('fix');
    expect(d.status).toBe('completed');
  });
});

describe('endless loops', () => {
  it('a cycle without a wait state fails the command instead of hanging the worker', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="gw" /><exclusiveGateway id="gw" />
        <sequenceFlow id="f2" sourceRef="gw" targetRef="t" /><task id="t" /><sequenceFlow id="f3" sourceRef="t" targetRef="gw" />`),
    );
    const err = await failure(startInstance({ definition: def }));
    expect(err.code).toBe('BUDGET_EXCEEDED');
  });

  it('a cycle through a user task is fine', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" /><userTask id="t" />
        <sequenceFlow id="f2" sourceRef="t" targetRef="gw" /><exclusiveGateway id="gw" default="again" />
        <sequenceFlow id="done" sourceRef="gw" targetRef="e"><conditionExpression>\${ok}</conditionExpression></sequenceFlow>
        <sequenceFlow id="again" sourceRef="gw" targetRef="t" /><endEvent id="e" />`),
    );
    const d = await Driver.start(def, { variables: { ok: false } });
    await d.complete('t');
    await d.complete('t');
    expect(d.entered('t')).toBe(3);
    await d.complete('t', { ok: true });
    expect(d.status).toBe('completed');
  });
});

describe('timers given by expressions', () => {
  it('reports the absolute due time of ${...} dates and durations and fires them by command', async () => {
    const def = await compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" /><parallelGateway id="fork" />
        <sequenceFlow id="f2" sourceRef="fork" targetRef="byDate" /><sequenceFlow id="f3" sourceRef="fork" targetRef="byDuration" />
        <intermediateCatchEvent id="byDate"><timerEventDefinition><timeDate>\${deadline}</timeDate></timerEventDefinition></intermediateCatchEvent>
        <intermediateCatchEvent id="byDuration"><timerEventDefinition><timeDuration>\${patience}</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <sequenceFlow id="f4" sourceRef="byDate" targetRef="join" /><sequenceFlow id="f5" sourceRef="byDuration" targetRef="join" />
        <parallelGateway id="join" /><sequenceFlow id="f6" sourceRef="join" targetRef="e" /><endEvent id="e" />`),
    );
    const deadline = new Date(Date.now() + 3 * 86_400_000);
    const d = await Driver.start(def, {
      variables: { deadline: deadline.toISOString().replace('Z', '+00:00'), patience: 'PT2H' },
    });
    const byId = Object.fromEntries(d.snapshot.timers.map((t) => [t.elementId, t]));
    expect(byId['byDate']).toMatchObject({ timerType: 'timeDate', dueAt: deadline.toISOString() });
    const inTwoHours = Date.parse(byId['byDuration']!.dueAt) - Date.now();
    expect(inTwoHours).toBeGreaterThan(2 * 3600_000 - 60_000);
    expect(inTwoHours).toBeLessThanOrEqual(2 * 3600_000);
    await d.fire('byDate');
    expect(d.snapshot.timers.map((t) => t.elementId)).toEqual(['byDuration']);
    await d.fire('byDuration');
    expect(d.status).toBe('completed');
  });

  it('fails closed when a timer expression yields something that is not a time', async () => {
    const def = await compileDefinition(
      linear(
        '<intermediateCatchEvent id="t"><timerEventDefinition><timeDuration>${patience}</timeDuration></timerEventDefinition></intermediateCatchEvent>',
      ),
    );
    const err = await failure(startInstance({ definition: def, variables: { patience: 42 } }));
    expect(err.code).toBe('EXPRESSION_FAILED');
    expect(err.elementId).toBe('t');
  });
});

describe('reporting', () => {
  it('keeps wait facts stable across steps and stamps history with the given clock', async () => {
    let clock = new Date('2024-01-01T00:00:00Z');
    const d = await Driver.start(await deploy('corpus/rvp-leave3-parallel.bpmn'), {}, () => clock);
    expect(d.snapshot.history.every((e) => e.at === '2024-01-01T00:00:00.000Z')).toBe(true);
    clock = new Date('2024-01-02T00:00:00Z');
    await d.complete('申请人');
    const created = d.wait('科研部门').createdAt;
    expect(created).toBe('2024-01-02T00:00:00.000Z');
    clock = new Date('2024-01-03T00:00:00Z');
    await d.complete('综合部门');
    expect(d.wait('科研部门').createdAt).toBe(created);
    expect(d.snapshot.history.find((e) => e.elementId === 'Activity_0xun74h')).toMatchObject({
      event: 'leave',
      outcome: 'completed',
      at: '2024-01-03T00:00:00.000Z',
    });
    expect(d.snapshot.flowsTaken).toEqual(['Flow_1j0t4se']);
    expect(Object.keys(d.snapshot.state.waitMeta)).toEqual([d.wait('科研部门').executionId]);
  });

  it('reports history as enter/leave pairs over a whole run', async () => {
    const d = await Driver.start(await deploy('corpus/camunda-parallel-nested-fork-join.bpmn'));
    for (const name of ['Task 0', 'Task A', 'Task B', 'Task B1', 'Task B2', 'Task C']) await d.complete(name);
    const enters = d.log
      .filter((e) => e.event === 'enter')
      .map((e) => e.executionId)
      .sort();
    const leaves = d.log
      .filter((e) => e.event === 'leave')
      .map((e) => e.executionId)
      .sort();
    expect(leaves).toEqual(enters);
    expect(new Set(d.snapshot.completedElements)).toEqual(
      new Set(d.definition.model.process.elements.map((e) => e.id)),
    );
  });
});

describe('definition cache', () => {
  it('compiles once per key, shares it, and does not keep failures', async () => {
    const cache = new DefinitionCache(2);
    const xml = fixture('corpus/rvp-leave3-parallel.bpmn');
    const [a, b] = await Promise.all([cache.get('leave3:v1', xml), cache.get('leave3:v1', xml)]);
    expect(a).toBe(b);
    await expect(cache.get('broken:v1', '<definitions')).rejects.toMatchObject({
      code: 'INVALID_DEFINITION',
    });
    expect(cache.size).toBe(1);
    await cache.get('x:1', xml);
    await cache.get('x:2', xml);
    expect(cache.size).toBe(2);
  });

  it('one compiled definition serves many concurrent instances', async () => {
    const def = await deploy('corpus/rvp-leave3-parallel.bpmn');
    const drivers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => Driver.start(def, { businessKey: `bk-${i}` })),
    );
    await Promise.all(drivers.map((d) => d.complete('申请人')));
    await Promise.all(drivers.map((d) => d.complete('综合部门')));
    await Promise.all(drivers.map((d) => d.complete('科研部门')));
    await Promise.all(drivers.map((d) => d.complete('总经理')));
    expect(drivers.map((d) => d.status)).toEqual(Array(12).fill('completed'));
    expect(new Set(drivers.map((d) => d.snapshot.businessKey)).size).toBe(12);
  });
});
