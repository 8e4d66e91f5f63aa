/**
 * Events that can come more than once while their scope runs. Camunda 7 / Flowable: a non-interrupting
 * message or signal boundary event keeps listening while its activity runs (MessageBoundaryEventTest:
 * correlating the same message again to a non-interrupting boundary event starts another path each
 * time), and a non-interrupting event sub-process can be triggered again while its scope runs. The
 * Driver saves and recovers the state between every step and checks each step against an engine kept
 * alive.
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

const MESSAGE = '<messageEventDefinition messageRef="M" />';
const SIGNAL = '<signalEventDefinition signalRef="S" />';
const triggers: Array<[string, string, Command]> = [
  ['message', MESSAGE, { type: 'message', name: 'go' }],
  ['signal', SIGNAL, { type: 'signal', name: 'sig' }],
];

/** A user task `t` with a non-interrupting boundary event `b` whose path is `path` (starting at `n`). */
const withBoundary = (definition: string, path: string, host = '<userTask id="t" />') =>
  document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    ${host}<sequenceFlow id="f2" sourceRef="t" targetRef="e" /><endEvent id="e" />
    <boundaryEvent id="b" attachedToRef="t" cancelActivity="false">${definition}</boundaryEvent>
    <sequenceFlow id="f3" sourceRef="b" targetRef="n" />${path}`);

describe('a non-interrupting message or signal boundary event', () => {
  it.each(triggers)(
    '%s: every one while its activity runs takes its path',
    async (_, definition, command) => {
      const d = await Driver.start(
        await compile(
          withBoundary(
            definition,
            '<task id="n" /><sequenceFlow id="f4" sourceRef="n" targetRef="e2" /><endEvent id="e2" />',
          ),
        ),
      );
      for (let i = 1; i <= 3; i++) {
        await d.apply(command);
        expect(d.entered('n')).toBe(i);
        expect(d.entered('e2')).toBe(i);
        expect(d.waits.map((w) => [w.elementId, w.type])).toEqual([
          ['t', 'userTask'],
          ['b', command.type],
        ]);
      }
      await d.complete('t');
      expect(d.status).toBe('completed');
      expect(d.entered('e')).toBe(1);
    },
  );

  it.each(triggers)('%s: gone once its activity has left', async (_, definition, command) => {
    const d = await Driver.start(
      await compile(
        withBoundary(definition, '<endEvent id="n" />', '<userTask id="t" /><userTask id="after" />').replace(
          '<sequenceFlow id="f2" sourceRef="t" targetRef="e" />',
          '<sequenceFlow id="f2" sourceRef="t" targetRef="after" /><sequenceFlow id="f5" sourceRef="after" targetRef="e" />',
        ),
      ),
    );
    await d.apply(command);
    await d.complete('t');
    expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
    if (command.type === 'message')
      await expect(d.apply(command)).rejects.toMatchObject({ code: 'NO_MATCHING_WAIT' });
    else await d.apply(command);
    expect(d.entered('n')).toBe(1);
    expect(d.waits.map((w) => w.elementId)).toEqual(['after']);
  });

  it('inside each iteration of a parallel multi-instance sub-process, addressed by its execution', async () => {
    const d = await Driver.start(
      await compile(
        document(`<startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="sp" />
          <subProcess id="sp"><multiInstanceLoopCharacteristics isSequential="false"><loopCardinality>2</loopCardinality></multiInstanceLoopCharacteristics>
            <startEvent id="ss" /><sequenceFlow id="g1" sourceRef="ss" targetRef="t" /><userTask id="t" />
            <sequenceFlow id="g2" sourceRef="t" targetRef="se" /><endEvent id="se" />
            <boundaryEvent id="b" attachedToRef="t" cancelActivity="false">${MESSAGE}</boundaryEvent>
            <sequenceFlow id="g3" sourceRef="b" targetRef="n" /><endEvent id="n" />
          </subProcess><sequenceFlow id="f2" sourceRef="sp" targetRef="e" /><endEvent id="e" />`),
      ),
    );
    const first = () => d.waits.filter((w) => w.elementId === 'b')[0]!.executionId;
    for (let i = 1; i <= 2; i++) {
      await d.apply({ type: 'message', name: 'go', executionId: first() });
      expect(d.entered('n')).toBe(i);
      expect(d.waits.filter((w) => w.elementId === 'b')).toHaveLength(2);
    }
  });
});
