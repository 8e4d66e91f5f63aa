/**
 * Each iteration of a parallel multi-instance sub-process is a scope of its own (Camunda 7: one scope
 * execution per iteration, each with its own event subscriptions): a signal reaches the event
 * sub-process of every iteration; a message is correlated to one execution, so one that several
 * iterations would take is ambiguous; a link throw continues at the link catch of its own iteration.
 * The Driver saves and recovers the state between every step and checks each step against an engine
 * kept alive.
 */
import { compileDefinition } from '../definition/compile';
import type { Command } from '../runtime/types';
import { document } from './bpmn';
import { ALL_EVENT_STARTS, Driver } from './helpers';

const compile = (xml: string) =>
  compileDefinition(
    xml.replace('<process', '<message id="M" name="go" /><signal id="S" name="sig" /><process'),
    ALL_EVENT_STARTS,
  );

/** A parallel multi-instance sub-process `sp` of three iterations, each waiting at user task `t`. */
const iterations = (inner: string, task = '<userTask id="t" />') =>
  document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sp" />
    <subProcess id="sp"><multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>3</loopCardinality></multiInstanceLoopCharacteristics>
      <startEvent id="ss" /><sequenceFlow id="g1" sourceRef="ss" targetRef="t" />${task}
      <sequenceFlow id="g2" sourceRef="t" targetRef="se" /><endEvent id="se" />${inner}
    </subProcess><sequenceFlow id="f2" sourceRef="sp" targetRef="e" /><endEvent id="e" />`);

const eventSubProcess = (definition: string, interrupting: boolean) =>
  `<subProcess id="esp" triggeredByEvent="true"><startEvent id="on" isInterrupting="${interrupting}">${definition}</startEvent>
    <sequenceFlow id="h1" sourceRef="on" targetRef="n" /><task id="n" /><sequenceFlow id="h2" sourceRef="n" targetRef="ne" /><endEvent id="ne" /></subProcess>`;

const SIGNAL: Command = { type: 'signal', name: 'sig' };
const MESSAGE: Command = { type: 'message', name: 'go' };

describe('event sub-processes inside a parallel multi-instance sub-process, triggered from outside', () => {
  it('a signal starts the non-interrupting one in every iteration; each task carries on', async () => {
    const d = await Driver.start(
      await compile(iterations(eventSubProcess('<signalEventDefinition signalRef="S" />', false))),
    );
    await d.apply(SIGNAL);
    expect(d.entered('n')).toBe(3);
    expect(d.waits.map((w) => w.elementId)).toEqual(['t', 't', 't']);
  });

  it('a signal interrupts every iteration: each runs its handler, the sub-process completes', async () => {
    const d = await Driver.start(
      await compile(iterations(eventSubProcess('<signalEventDefinition signalRef="S" />', true))),
    );
    await d.apply(SIGNAL);
    expect(d.entered('n')).toBe(3);
    expect(d.status).toBe('completed');
    expect(d.entered('e')).toBe(1);
    expect(d.log.filter((h) => h.elementId === 't' && h.event === 'leave').map((h) => h.outcome)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });

  it.each([true, false])(
    'a message three iterations would take is refused as ambiguous (interrupting: %s); with one left it starts there',
    async (interrupting) => {
      const d = await Driver.start(
        await compile(iterations(eventSubProcess('<messageEventDefinition messageRef="M" />', interrupting))),
      );
      await expect(d.apply(MESSAGE)).rejects.toMatchObject({
        code: 'AMBIGUOUS_CORRELATION',
        details: { executions: 3, elementIds: ['on'] },
      });
      expect(d.entered('n')).toBe(0);
      await d.complete('t');
      await d.complete('t');
      await d.apply(MESSAGE);
      expect(d.entered('n')).toBe(1);
    },
  );
});

// Camunda: the subscription of an event sub-process in an iteration sits on that iteration's scope
// execution; correlating to it starts the handler there only, and correlateAll starts it in each
describe('a message to the event sub-process of one iteration, or of all', () => {
  const messageEsp = (interrupting: boolean) =>
    compile(iterations(eventSubProcess('<messageEventDefinition messageRef="M" />', interrupting)));

  it.each([true, false])(
    'addressed by an execution of the iteration (its task), it runs there only (interrupting: %s)',
    async (interrupting) => {
      const d = await Driver.start(await messageEsp(interrupting));
      const [, second] = d.waits.filter((w) => w.elementId === 't');
      await d.apply({ type: 'message', name: 'go', executionId: second!.executionId });
      expect(d.entered('n')).toBe(1);
      const left = d.waits.filter((w) => w.elementId === 't').map((w) => w.executionId);
      expect(left).toHaveLength(interrupting ? 2 : 3);
      expect(left.includes(second!.executionId)).toBe(!interrupting);
    },
  );

  it('with all, it runs in every iteration', async () => {
    const d = await Driver.start(await messageEsp(false));
    await d.apply({ type: 'message', name: 'go', all: true });
    expect(d.entered('n')).toBe(3);
    expect(d.waits.map((w) => w.elementId)).toEqual(['t', 't', 't']);
  });
});

describe('link events inside a parallel multi-instance sub-process', () => {
  it('a link thrown in one iteration goes on in that iteration only', async () => {
    const d = await Driver.start(
      await compile(
        iterations(
          `<intermediateCatchEvent id="lc"><linkEventDefinition name="L" /></intermediateCatchEvent>
           <sequenceFlow id="g4" sourceRef="lc" targetRef="u" /><userTask id="u" /><sequenceFlow id="g5" sourceRef="u" targetRef="ue" /><endEvent id="ue" />`,
          '<userTask id="t" />',
        ).replace(
          '<sequenceFlow id="g2" sourceRef="t" targetRef="se" /><endEvent id="se" />',
          '<sequenceFlow id="g2" sourceRef="t" targetRef="lt" /><intermediateThrowEvent id="lt"><linkEventDefinition name="L" /></intermediateThrowEvent>',
        ),
      ),
    );
    await d.complete('t');
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['t', 't', 'u']);
    expect(d.entered('u')).toBe(1);
    await d.complete('u');
    await d.complete('t');
    expect(d.waits.map((w) => w.elementId).sort()).toEqual(['t', 'u']);
    await d.complete('t');
    await d.complete('u');
    await d.complete('u');
    expect(d.status).toBe('completed');
    expect([d.entered('lc'), d.entered('u'), d.entered('e')]).toEqual([3, 3, 1]);
  });
});
