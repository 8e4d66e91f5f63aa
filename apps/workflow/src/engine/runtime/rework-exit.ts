/** bpmn-elements' SequenceFlow (a function constructor), as far as it is used here. */
interface Flow {
  discard(content?: { discardSequence?: unknown[] }): unknown;
}
type FlowBehaviour = new (...args: unknown[]) => Flow;

/**
 * The behaviour of a rework loop's way out into a join (definition/concurrency.ts `reworkExits`). When
 * the loop's choice runs and sends the token round again, bpmn-elements discards this flow, and the join
 * counted that as the branch's arrival. The token is still in the branch and will come back to the
 * choice, so Camunda's join waits for it: that discard is dropped. A discard that comes down the branch
 * (the choice itself discarded: the branch is dead) carries the elements it passed and goes on to the
 * join, as its dead-path rule needs.
 */
export function reworkExitBehaviour(Original: FlowBehaviour): FlowBehaviour {
  return function ReworkExit(...args: unknown[]): Flow {
    const flow = new Original(...args);
    const discard = flow.discard.bind(flow);
    flow.discard = (content = {}) => (content.discardSequence?.length ? discard(content) : undefined);
    return flow;
  } as unknown as FlowBehaviour;
}
