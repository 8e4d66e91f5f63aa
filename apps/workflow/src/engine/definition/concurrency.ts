import type { ElementModel, FlowModel } from './model';

/** An element where tokens of two branches of one split can meet without being joined. */
export interface UnjoinedMerge {
  readonly elementId: string;
  readonly splitId: string;
}

/**
 * bpmn-engine runs an element once at a time in a scope: a second token that reaches an element while
 * it runs waits until the first has left (a second user task or event-based gateway race appears only
 * then, and the waiting flow is reported among the running elements), and two tokens reaching it in
 * the same step run it once. Camunda and Flowable run each token on its own (two tasks, two sets of
 * catch events). So a model in which two branches of one split can meet at an element that is not a
 * parallel or inclusive join is refused: from each branch of every split (a parallel or inclusive
 * gateway, or any other element with several unconditional outgoing flows), the elements reachable
 * without passing a join or the split again; an element (other than an end event) two branches reach
 * and that has several incoming flows is where their tokens meet. Deploy time only: one walk per
 * outgoing flow of each split.
 */
export function unjoinedMerges(
  elements: readonly ElementModel[],
  flows: readonly FlowModel[],
): UnjoinedMerge[] {
  const byId = new Map(elements.map((e) => [e.id, e] as const));
  const outgoing = new Map<string, string[]>();
  const unconditional = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const f of flows) {
    outgoing.set(f.sourceRef, [...(outgoing.get(f.sourceRef) ?? []), f.targetRef]);
    if (!f.condition && !f.isDefault)
      unconditional.set(f.sourceRef, [...(unconditional.get(f.sourceRef) ?? []), f.targetRef]);
    incoming.set(f.targetRef, (incoming.get(f.targetRef) ?? 0) + 1);
  }
  // The branches that run together: every flow out of a parallel or inclusive gateway; out of any other
  // element, its unconditional flows. Conditional flows out of a task are how Flowable and RuoYi models
  // choose one way (approve on, reject back to the applicant) without a gateway: not a split here.
  const branchesOf = (e: ElementModel): string[] =>
    e.kind === 'parallelGateway' || e.kind === 'inclusiveGateway'
      ? (outgoing.get(e.id) ?? [])
      : e.kind === 'exclusiveGateway' || e.kind === 'eventBasedGateway'
        ? []
        : (unconditional.get(e.id) ?? []);
  const isJoin = (e: ElementModel): boolean =>
    (e.kind === 'parallelGateway' || e.kind === 'inclusiveGateway') && (incoming.get(e.id) ?? 0) > 1;
  const found: UnjoinedMerge[] = [];
  const reported = new Set<string>();
  for (const split of elements) {
    const targets = branchesOf(split);
    if (targets.length < 2) continue;
    const reachedBy = new Map<string, number>();
    targets.forEach((first, branch) => {
      const seen = new Set<string>();
      const stack = [first];
      while (stack.length) {
        const id = stack.pop()!;
        const element = byId.get(id);
        if (!element || seen.has(id) || id === split.id || isJoin(element)) continue;
        seen.add(id);
        stack.push(...(outgoing.get(id) ?? []));
      }
      for (const id of seen) {
        const previous = reachedBy.get(id);
        if (previous === undefined) reachedBy.set(id, branch);
        else if (previous !== branch && !reported.has(id)) {
          const element = byId.get(id)!;
          if (element.kind === 'endEvent' || (incoming.get(id) ?? 0) < 2) continue;
          reported.add(id);
          found.push({ elementId: id, splitId: split.id });
        }
      }
    });
  }
  return found;
}
