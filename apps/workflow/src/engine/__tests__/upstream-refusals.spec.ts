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
});
