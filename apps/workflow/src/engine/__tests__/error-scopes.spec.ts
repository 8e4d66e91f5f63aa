/**
 * Where a thrown error or escalation is caught (BPMN 2.0 §10.5.6, Camunda 7 / Flowable): it goes up the
 * scopes of the thrower, innermost first, and is caught once, by a boundary event of an activity the
 * thrower is inside or by an event sub-process of a scope the thrower is inside. Each iteration of a
 * multi-instance sub-process is a scope of its own: what one iteration throws is not seen by another.
 */
import { compileDefinition } from '../definition/compile';
import { document } from './bpmn';
import { ALL_EVENT_STARTS, Driver, expectHistoryClosed } from './helpers';

const DEFS = '<error id="E" errorCode="E1" /><escalation id="X" escalationCode="X1" />';
const throwing = (kind: 'error' | 'escalation') =>
  kind === 'error'
    ? '<errorEventDefinition errorRef="E" />'
    : '<escalationEventDefinition escalationRef="X" />';
const loop = (sequential: boolean) =>
  `<multiInstanceLoopCharacteristics isSequential="${sequential}"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>`;
/** work → (fail ? error end : end): the iteration whose work completes with fail=true throws. */
const body = (kind: 'error' | 'escalation' = 'error') => `
  <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="work" />
  <userTask id="work" name="work" /><sequenceFlow id="sf2" sourceRef="work" targetRef="xor" />
  <exclusiveGateway id="xor" default="sfOk" />
  <sequenceFlow id="sfFail" sourceRef="xor" targetRef="fail"><conditionExpression>\${fail}</conditionExpression></sequenceFlow>
  <sequenceFlow id="sfOk" sourceRef="xor" targetRef="ok" />
  <endEvent id="fail">${throwing(kind)}</endEvent><endEvent id="ok" />`;
const handlerEsp = (kind: 'error' | 'escalation' = 'error') => `
  <subProcess id="esp" triggeredByEvent="true"><startEvent id="hs">${throwing(kind)}</startEvent>
    <sequenceFlow id="hf1" sourceRef="hs" targetRef="handler" /><userTask id="handler" name="handler" />
    <sequenceFlow id="hf2" sourceRef="handler" targetRef="he" /><endEvent id="he" /></subProcess>`;
const afterSub = `<sequenceFlow id="f2" sourceRef="sub" targetRef="after" /><userTask id="after" name="after" />
  <sequenceFlow id="f3" sourceRef="after" targetRef="e" /><endEvent id="e" />`;
const deploy = (xml: string) => compileDefinition(document(xml, { rootExtra: DEFS }), ALL_EVENT_STARTS);
const outcomes = (d: Driver, id: string) =>
  d.log.filter((e) => e.elementId === id && e.event === 'leave').map((e) => e.outcome);

/** Completes `work` in iterations until one throws: the first (parallel) or the second (sequential). */
async function throwInOneIteration(d: Driver, sequential: boolean): Promise<void> {
  if (sequential) await d.complete('work', { fail: false });
  await d.complete('work', { fail: true });
}

/** Completes every wait (work without failing) until the instance ends. */
async function finish(d: Driver): Promise<void> {
  for (let i = 0; i < 20 && d.status === 'running'; i++) {
    const next = d.waits[0]!;
    await d.complete(next.elementId, { fail: false }, (w) => w.executionId === next.executionId);
  }
  expect(d.status).toBe('completed');
  expectHistoryClosed(d.log);
}

describe.each([
  ['parallel', false],
  ['sequential', true],
])('an error thrown in one iteration of a %s multi-instance sub-process', (_, sequential) => {
  it('an error boundary event on the multi-instance body interrupts the whole body, once', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">${loop(sequential)}${body()}</subProcess>${afterSub}
      <boundaryEvent id="b" attachedToRef="sub"><errorEventDefinition errorRef="E" /></boundaryEvent>
      <sequenceFlow id="bf" sourceRef="b" targetRef="handler" /><userTask id="handler" name="handler" />`),
    );
    await throwInOneIteration(d, sequential);
    expect(d.waitNames).toEqual(['handler']);
    expect(outcomes(d, 'sub')).toEqual(['cancelled']);
    expect(d.entered('work')).toBe(sequential ? 2 : 3);
    await finish(d);
    expect(d.entered('handler')).toBe(1);
    expect(d.entered('after')).toBe(0);
  });

  it('an error event sub-process inside the body handles the throwing iteration only', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">${loop(sequential)}${body()}${handlerEsp()}</subProcess>${afterSub}`),
    );
    await throwInOneIteration(d, sequential);
    expect(d.waitNames).toEqual(sequential ? ['handler'] : ['handler', 'work', 'work']);
    await d.complete('handler');
    // the handled iteration ends; the loop goes on with the others, then the body takes its flow
    expect(d.waitNames).toEqual(sequential ? ['work'] : ['work', 'work']);
    await finish(d);
    expect(d.entered('handler')).toBe(1);
    expect(d.entered('work')).toBe(3);
    expect(d.entered('after')).toBe(1);
  });

  it('an error boundary event on a sub-process inside the iteration catches for that iteration only', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">${loop(sequential)}
        <startEvent id="ss0" /><sequenceFlow id="sf0" sourceRef="ss0" targetRef="inner" />
        <subProcess id="inner">${body()}</subProcess>
        <sequenceFlow id="if1" sourceRef="inner" targetRef="ie" /><endEvent id="ie" />
        <boundaryEvent id="b" attachedToRef="inner"><errorEventDefinition errorRef="E" /></boundaryEvent>
        <sequenceFlow id="bf" sourceRef="b" targetRef="handler" /><userTask id="handler" name="handler" />
        <sequenceFlow id="bf2" sourceRef="handler" targetRef="he" /><endEvent id="he" />
      </subProcess>${afterSub}`),
    );
    await throwInOneIteration(d, sequential);
    // before: the boundary event of every iteration caught it (three handlers, no work left)
    expect(d.waitNames).toEqual(sequential ? ['handler'] : ['handler', 'work', 'work']);
    expect(outcomes(d, 'inner')).toEqual(sequential ? ['completed', 'cancelled'] : ['cancelled']);
    await finish(d);
    expect(d.entered('handler')).toBe(1);
    expect(d.entered('work')).toBe(3);
    expect(d.entered('after')).toBe(1);
  });

  it('an interrupting error event sub-process of the process cancels the body; no iteration starts after the throw', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub">${loop(sequential)}${body()}</subProcess>${afterSub}${handlerEsp()}`),
    );
    await throwInOneIteration(d, sequential);
    expect(d.waitNames).toEqual(['handler']);
    // before: a sequential loop started its third iteration as the second threw
    expect(d.entered('work')).toBe(sequential ? 2 : 3);
    expect(outcomes(d, 'sub')).toEqual(['cancelled']);
    await finish(d);
    expect(d.entered('after')).toBe(0);
  });
});

describe.each(['error', 'escalation'] as const)(
  'an interrupting %s event sub-process catching a throw from a sub-process nested in its scope',
  (kind) => {
    // each iteration: inner (work → throw) and a parallel task `side`; after inner, `afterInner`
    const iteration = (extra: string) => `
    <startEvent id="is0" /><sequenceFlow id="i0" sourceRef="is0" targetRef="fork" /><parallelGateway id="fork" />
    <sequenceFlow id="i1" sourceRef="fork" targetRef="inner" /><sequenceFlow id="i2" sourceRef="fork" targetRef="side" />
    <userTask id="side" name="side" /><sequenceFlow id="i3" sourceRef="side" targetRef="sideEnd" /><endEvent id="sideEnd" />
    <subProcess id="inner">${body(kind)}</subProcess>
    <sequenceFlow id="i4" sourceRef="inner" targetRef="afterInner" /><userTask id="afterInner" name="afterInner" />
    <sequenceFlow id="i5" sourceRef="afterInner" targetRef="ie" /><endEvent id="ie" />${extra}`;

    it.each([
      ['parallel', false],
      ['sequential', true],
    ])(
      'inside a %s multi-instance sub-process: the throwing iteration is cancelled, the others carry on',
      async (_, sequential) => {
        const d = await Driver.start(
          await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub">${loop(sequential).replace('3', '2')}${iteration(handlerEsp(kind))}</subProcess>${afterSub}`),
        );
        await d.complete('work', { fail: true });
        // before: the inner sub-process took its flow to afterInner and `side` of that iteration stayed
        expect(d.waitNames).toEqual(sequential ? ['handler'] : ['handler', 'side', 'work']);
        expect(d.entered('afterInner')).toBe(0);
        expect(outcomes(d, 'inner')).toEqual(['cancelled']);
        expect(outcomes(d, 'side')).toEqual(['cancelled']);
        await d.complete('handler');
        expect(d.waitNames).toEqual(['side', 'work']);
        await finish(d);
        expect(d.entered('handler')).toBe(1);
        expect(d.entered('afterInner')).toBe(1);
        expect(d.entered('after')).toBe(1);
      },
    );

    it.each([
      ['parallel', false],
      ['sequential', true],
    ])(
      'of a sub-process around a %s multi-instance one: the whole scope is cancelled',
      async (_, sequential) => {
        const d = await Driver.start(
          await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="outer" />
        <subProcess id="outer"><startEvent id="os" /><sequenceFlow id="o1" sourceRef="os" targetRef="ofork" /><parallelGateway id="ofork" />
          <sequenceFlow id="o2" sourceRef="ofork" targetRef="sub" /><sequenceFlow id="o3" sourceRef="ofork" targetRef="outerSide" />
          <userTask id="outerSide" name="outerSide" />
          <subProcess id="sub">${loop(sequential).replace('3', '2')}${iteration('')}</subProcess>
          <sequenceFlow id="o4" sourceRef="sub" targetRef="afterSub" /><userTask id="afterSub" name="afterSub" />${handlerEsp(kind)}
        </subProcess>
        <sequenceFlow id="f2" sourceRef="outer" targetRef="after" /><userTask id="after" name="after" />`),
        );
        await d.complete('work', { fail: true });
        expect(d.waitNames).toEqual(['handler']);
        // before: the inner sub-process took its flow (afterInner entered, then cancelled with the scope)
        expect(d.entered('afterInner')).toBe(0);
        expect(outcomes(d, 'sub')).toEqual(['cancelled']);
        await finish(d);
        expect(d.entered('afterSub')).toBe(0);
        expect(d.entered('after')).toBe(1);
      },
    );
  },
);

describe('an error boundary event of a sibling', () => {
  const sub = (id: string, throws: boolean) => `
    <subProcess id="${id}"><startEvent id="${id}s" /><sequenceFlow id="${id}1" sourceRef="${id}s" targetRef="${id}t" />
      <userTask id="${id}t" name="${id}t" /><sequenceFlow id="${id}2" sourceRef="${id}t" targetRef="${id}e" />
      <endEvent id="${id}e">${throws ? throwing('error') : ''}</endEvent></subProcess>
    <boundaryEvent id="b${id}" attachedToRef="${id}"><errorEventDefinition errorRef="E" /></boundaryEvent>
    <sequenceFlow id="b${id}1" sourceRef="b${id}" targetRef="h${id}" /><userTask id="h${id}" name="h${id}" />`;

  it('does not catch what a parallel sub-process throws', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" /><parallelGateway id="fork" />
      <sequenceFlow id="fa" sourceRef="fork" targetRef="A" /><sequenceFlow id="fb" sourceRef="fork" targetRef="B" />
      ${sub('A', true)}${sub('B', false)}`),
    );
    await d.complete('At');
    // before: B's boundary event caught it too (hA and hB, B cancelled)
    expect(d.waitNames).toEqual(['Bt', 'hA']);
    await finish(d);
    expect(d.entered('hB')).toBe(0);
  });

  it('does not catch an error end event of a parallel path, which ends that path as a none end event', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" /><parallelGateway id="fork" />
      <sequenceFlow id="fa" sourceRef="fork" targetRef="x" /><sequenceFlow id="fb" sourceRef="fork" targetRef="B" />
      <userTask id="x" name="x" /><sequenceFlow id="fx" sourceRef="x" targetRef="xe" /><endEvent id="xe">${throwing('error')}</endEvent>
      ${sub('B', false)}`),
    );
    await d.complete('x');
    expect(d.waitNames).toEqual(['Bt']);
    await finish(d);
    expect(d.entered('hB')).toBe(0);
  });
});

describe('a worker BPMN error inside an iteration of a multi-instance sub-process', () => {
  it('starts the error event sub-process of that iteration, not of another', async () => {
    const d = await Driver.start(
      await deploy(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub"><multiInstanceLoopCharacteristics isSequential="false" camunda:collection="\${items}" camunda:elementVariable="item" />
        <startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="fork" /><parallelGateway id="fork" />
        <sequenceFlow id="sf2" sourceRef="fork" targetRef="ext" /><sequenceFlow id="sf3" sourceRef="fork" targetRef="side" />
        <serviceTask id="ext" camunda:type="external" camunda:topic="t" /><userTask id="side" name="side \${item}" />
        ${handlerEsp()}</subProcess>${afterSub}`),
      { variables: { items: ['a', 'b'] } },
    );
    const second = d.waits.filter((w) => w.elementId === 'ext')[1]!;
    await d.apply({ type: 'bpmn-error', executionId: second.executionId, errorCode: 'E1' });
    // before: the handler ran in the first iteration and cancelled its tasks
    expect(d.waitNames).toEqual(['ext', 'handler', 'side a']);
    expect(d.waits.some((w) => w.executionId === second.executionId)).toBe(false);
  });
});

// Camunda's BpmnParse and Flowable's converter take an errorRef that names no <error> as the error code
// (BoundaryErrorEventTest.testCatchErrorOnParallelMultiInstance throws errorRef="myError" undeclared)
describe('an errorRef that names no <error>', () => {
  const undeclared = (catching: string) =>
    compileDefinition(
      document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub">${body().replace('errorRef="E"', 'errorRef="myError"')}</subProcess>
        <boundaryEvent id="caught" attachedToRef="sub"><errorEventDefinition ${catching} /></boundaryEvent>
        <sequenceFlow id="f4" sourceRef="caught" targetRef="handled" /><userTask id="handled" />
        <sequenceFlow id="f5" sourceRef="handled" targetRef="e2" /><endEvent id="e2" />${afterSub}`),
      ALL_EVENT_STARTS,
    );

  it.each([
    ['the same errorRef', 'errorRef="myError"'],
    ['no errorRef (catch-all)', ''],
  ])('is thrown with its name as the code and caught by %s', async (_, catching) => {
    const d = await Driver.start(await undeclared(catching));
    await d.complete('work', { fail: true });
    expect(d.waits.map((w) => w.elementId)).toEqual(['handled']);
    expect(d.entered('after')).toBe(0);
  });

  it('is not caught by a boundary event for another code', async () => {
    const def = await compileDefinition(
      document(
        `<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
        <subProcess id="sub">${body().replace('errorRef="E"', 'errorRef="myError"')}</subProcess>
        <boundaryEvent id="caught" attachedToRef="sub"><errorEventDefinition errorRef="E" /></boundaryEvent>
        <sequenceFlow id="f4" sourceRef="caught" targetRef="handled" /><userTask id="handled" />
        <sequenceFlow id="f5" sourceRef="handled" targetRef="e2" /><endEvent id="e2" />${afterSub}`,
        { rootExtra: DEFS },
      ),
      ALL_EVENT_STARTS,
    );
    const d = await Driver.start(def);
    await d.complete('work', { fail: true });
    expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
  });
});

// Camunda's and Flowable's ErrorPropagation: a boundary event for the error's code first, a catch-all
// only when none matches; bpmn-elements gave the error to both, and both handlers ran
describe('a catch-all error boundary event beside one for a code, on the same sub-process', () => {
  const twoBoundaries = (code: string) =>
    document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sub" />
      <subProcess id="sub"><startEvent id="ss" /><sequenceFlow id="sf1" sourceRef="ss" targetRef="fail" />
        <endEvent id="fail"><errorEventDefinition errorRef="${code}" /></endEvent></subProcess>
      <sequenceFlow id="f2" sourceRef="sub" targetRef="end" /><endEvent id="end" />
      <boundaryEvent id="any" attachedToRef="sub"><errorEventDefinition /></boundaryEvent>
      <boundaryEvent id="mine" attachedToRef="sub"><errorEventDefinition errorRef="E" /></boundaryEvent>
      <sequenceFlow id="f3" sourceRef="any" targetRef="anyTask" /><userTask id="anyTask" />
      <sequenceFlow id="f4" sourceRef="mine" targetRef="myTask" /><userTask id="myTask" />`).replace(
      '<process',
      `${DEFS}<error id="Other" errorCode="O1" /><process`,
    );

  it.each([
    ['E', 'myTask'],
    ['Other', 'anyTask'],
  ])('error %s thrown inside: only %s runs', async (code, task) => {
    const d = await Driver.start(await compileDefinition(twoBoundaries(code), ALL_EVENT_STARTS));
    expect(d.waits.map((w) => w.elementId)).toEqual([task]);
    await d.complete(task);
    expect(d.status).toBe('completed');
  });
});
