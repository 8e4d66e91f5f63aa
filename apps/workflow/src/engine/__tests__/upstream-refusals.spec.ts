/**
 * Camunda test files outside the conformance corpus (fixtures/upstream, sources in its README) that
 * must not deploy here: Camunda's parser refuses them, or bpmn-engine would run them along another path.
 */
import { validateDefinition } from '../definition/compile';
import { ALL_EVENT_STARTS, fixture } from './helpers';

async function refusal(name: string): Promise<{ elementId: string; reason: string }[]> {
  const result = await validateDefinition(fixture(`upstream/${name}`), ALL_EVENT_STARTS);
  return result.ok ? [] : result.issues.map(({ elementId, reason }) => ({ elementId, reason }));
}

describe('files refused at deploy, naming the element', () => {
  // LinkEventTest.testEventLinkMultipleSources: both branches throw LinkA, two tokens wait after the
  // catch in Camunda; bpmn-engine ran the catch once (one token, the process then ended after one trigger)
  it('two link throws of one name in parallel branches: tokens meet at the catch', async () => {
    expect(await refusal('camunda-link-multiple-sources.bpmn')).toEqual([
      {
        elementId: 'IntermediateCatchEvent_1',
        reason: expect.stringContaining(
          'tokens of two branches of <ParallelGateway_1> can meet here',
        ) as string,
      },
    ]);
  });

  // MessageBoundaryEventTest.testDoubleBoundaryMessageEventSameMessageId: the deployment fails
  it('two message boundary events of one activity wait for one message', async () => {
    expect(await refusal('camunda-message-boundary-same-message-twice.bpmn')).toEqual([
      {
        elementId: 'messageBoundary_2',
        reason: expect.stringContaining("<messageBoundary_1> waits for the message 'messageName'") as string,
      },
    ]);
  });

  // MessageStartEventTest.testSameMessageNameInSameProcessFails: the deployment fails
  it('two message start events with one message name', async () => {
    expect(await refusal('camunda-message-start-same-name-twice.bpmn')).toEqual([
      {
        elementId: 'theStart2',
        reason: expect.stringContaining("<theStart> waits for the message 'newInvoiceMessage'") as string,
      },
    ]);
  });

  // TerminateEndEventTest.testTerminateInEventSubProcess: the signal ends the whole instance in Flowable;
  // flowable:terminateAll was ignored, so only the event sub-process ended and `task` stayed open
  it('a terminate end event with flowable:terminateAll', async () => {
    expect(await refusal('flowable-terminate-all-in-event-subprocess.bpmn')).toEqual([
      {
        elementId: 'subProcessEndEvent',
        reason: expect.stringContaining(
          'terminateAll="true" on a terminate end event is not supported',
        ) as string,
      },
    ]);
  });

  // CompensateEventTest.testCompensationTimerEventBoundary: compensation (and Groovy script tasks)
  it('a compensation boundary event beside a timer on a script task', async () => {
    const issues = await refusal('flowable-compensation-timer-boundary.bpmn');
    expect(issues.map((i) => i.elementId)).toEqual([
      'first',
      'firstCompensateEvent',
      'compensateServiceTask',
    ]);
    expect(issues[1]!.reason).toContain('compensate events are not supported');
  });

  // ConditionalSequenceFlowTest.testGroovyExpression
  it('conditions written in Groovy', async () => {
    const issues = await refusal('flowable-groovy-condition.bpmn');
    expect(issues.map((i) => i.elementId)).toEqual(['flow1', 'flow2']);
    expect(issues[0]!.reason).toContain('condition language "groovy" is not allowed');
  });

  // InclusiveGatewayTest.testJoinAfterParallelGateway: a loop (exclusiveGateway2 → exclusiveGateway1)
  // inside the branch before the inclusive join; Flowable's test only checks that the receive task
  // waits again after its trigger
  it('an inclusive join behind a loop that can go round again', async () => {
    expect(await refusal('flowable-inclusive-join-after-parallel.bpmn')).toEqual([
      {
        elementId: 'inclusiveGateway1',
        reason: expect.stringContaining('a loop through <exclusiveGateway2> can go round again') as string,
      },
    ]);
  });
});
