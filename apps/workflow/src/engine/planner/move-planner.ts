import type { CompiledDefinition } from '../definition/compile';
import type { ElementModel } from '../definition/model';
import type { JoinArrival } from '../runtime/types';

/**
 * The return planner: which earlier user tasks an instance may go back to (退回), and what a move
 * (return, admin jump, revoke) does to the tokens, decided from the model graph and the instance's
 * current tokens. Pure: no engine, no database.
 *
 * A move to target T in scope S (the process or an embedded sub-process):
 * - takes away every token of S that T can reach again (so the re-run does not duplicate them);
 *   a multi-instance node is one token (it leaves and restarts as a whole), a boundary timer goes
 *   with its host, a token inside a sub-process counts as the sub-process;
 * - makes a parallel/inclusive join forget the arrivals of branches that run again from T (they will
 *   arrive anew, taken or discarded), so the sibling branches move back consistently;
 * - is refused when a join would wait for a flow that no remaining token and not T can deliver any
 *   more (a stranded token), e.g. a return into one branch after the join has fired.
 */
export interface MoveFacts {
  readonly definition: CompiledDefinition;
  /** Element ids holding a token now (waits, timers, running sub-processes). */
  readonly activeElements: readonly string[];
  /** Element ids completed at least once. */
  readonly completedElements: readonly string[];
  readonly joinArrivals: readonly JoinArrival[];
}

export interface MovePlan {
  readonly targetElementId: string;
  /** Elements (of the target's scope) whose tokens the move takes away. */
  readonly leaveElementIds: readonly string[];
  /** Join arrivals to forget: their branches run again from the target and will arrive anew. */
  readonly resetJoins: readonly JoinArrival[];
}

export type PlanResult =
  { readonly ok: true; readonly plan: MovePlan } | { readonly ok: false; readonly reason: string };

export interface ReturnTarget {
  readonly elementId: string;
  readonly name: string | null;
  readonly multiInstance: boolean;
}

/** Graph of one definition: successors per element, with boundary events hanging off their host. */
class Graph {
  readonly next = new Map<string, string[]>();
  readonly incoming = new Map<string, { flowId: string; source: string }[]>();

  constructor(readonly definition: CompiledDefinition) {
    const { flows, elements } = definition.model.process;
    for (const flow of flows) {
      push(this.next, flow.sourceRef, flow.targetRef);
      push(this.incoming, flow.targetRef, { flowId: flow.id, source: flow.sourceRef });
    }
    for (const element of elements) if (element.attachedTo) push(this.next, element.attachedTo, element.id);
  }

  element(id: string): ElementModel | undefined {
    return this.definition.elementsById.get(id);
  }

  /** Everything reachable from `from` (not including it, unless a loop leads back). */
  forward(from: Iterable<string>): Set<string> {
    const seen = new Set<string>();
    const stack = [...from].flatMap((id) => this.next.get(id) ?? []);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(this.next.get(id) ?? []));
    }
    return seen;
  }

  /** The element of `scopeId` that contains `id` (itself, or its enclosing sub-process); boundary → host. */
  inScope(id: string, scopeId: string): string | undefined {
    let current = this.element(id);
    for (let depth = 0; current && depth < 64; depth++) {
      if (current.parentId === scopeId) return current.attachedTo ?? current.id;
      current = this.element(current.parentId);
    }
    return undefined;
  }

  isJoin(id: string): boolean {
    const kind = this.element(id)?.kind;
    return (
      (kind === 'parallelGateway' || kind === 'inclusiveGateway') && (this.incoming.get(id)?.length ?? 0) > 1
    );
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const graphs = new WeakMap<CompiledDefinition, Graph>();
function graphOf(definition: CompiledDefinition): Graph {
  let graph = graphs.get(definition);
  if (!graph) graphs.set(definition, (graph = new Graph(definition)));
  return graph;
}

/** Tokens of the target's scope, each as the scope-level element that holds it. */
function tokensIn(graph: Graph, facts: MoveFacts, scopeId: string): Set<string> {
  const tokens = new Set<string>();
  for (const id of facts.activeElements) {
    const holder = graph.inScope(id, scopeId);
    if (holder) tokens.add(holder);
  }
  return tokens;
}

/**
 * Plans a move to `targetId`. `leave` defaults to every token of the scope that the target can reach
 * (a return); an admin jump passes every token of the scope.
 */
export function planMove(
  facts: MoveFacts,
  targetId: string,
  options: { leaveAllTokens?: boolean } = {},
): PlanResult {
  const graph = graphOf(facts.definition);
  const target = graph.element(targetId);
  if (!target) return { ok: false, reason: `the process has no node '${targetId}'` };
  if (target.kind !== 'userTask') return { ok: false, reason: `<${targetId}> is not a user task` };
  const scopeId = target.parentId;
  const tokens = tokensIn(graph, facts, scopeId);
  if (tokens.size === 0) return { ok: false, reason: `no token is in the scope of <${targetId}>` };
  if (tokens.has(targetId)) return { ok: false, reason: `<${targetId}> is active already` };
  const reach = graph.forward([targetId]);
  const leave = [...tokens].filter((t) => options.leaveAllTokens || reach.has(t));
  if (leave.length === 0)
    return { ok: false, reason: `no current node lies after <${targetId}>: nothing would move back` };
  const remaining = [...tokens].filter((t) => !leave.includes(t));
  const reachable = graph.forward([targetId, ...remaining]);
  for (const remainingToken of remaining) reachable.add(remainingToken);
  reachable.add(targetId);
  const arrivals = new Map(facts.joinArrivals.map((j) => [j.elementId, new Set(j.flowIds)]));

  const resetJoins: JoinArrival[] = [];
  for (const [joinId, arrived] of arrivals) {
    if (graph.inScope(joinId, scopeId) !== joinId) continue;
    // a branch that runs again from the target arrives again: forget its earlier arrival
    const again = (graph.incoming.get(joinId) ?? [])
      .filter(({ flowId, source }) => arrived.has(flowId) && (reach.has(source) || source === targetId))
      .map(({ flowId }) => flowId);
    if (again.length > 0) {
      if (scopeId !== facts.definition.processId) {
        return {
          ok: false,
          reason: `join <${joinId}> inside a sub-process already holds a branch that would run again (not supported)`,
        };
      }
      resetJoins.push({ elementId: joinId, flowIds: again });
      for (const flowId of again) arrived.delete(flowId);
    }
    if (arrived.size > 0 && !reachable.has(joinId)) {
      return {
        ok: false,
        reason: `join <${joinId}> waits for branches that no token could deliver after the move (stranded)`,
      };
    }
  }
  for (const joinId of reach) {
    if (!graph.isJoin(joinId) || graph.inScope(joinId, scopeId) !== joinId) continue;
    const arrived = arrivals.get(joinId) ?? new Set<string>();
    for (const { flowId, source } of graph.incoming.get(joinId) ?? []) {
      if (arrived.has(flowId) || reachable.has(source)) continue;
      return {
        ok: false,
        reason: `join <${joinId}> would wait forever for the branch through <${source}> (no token left there)`,
      };
    }
  }
  return { ok: true, plan: { targetElementId: targetId, leaveElementIds: leave, resetJoins } };
}

/**
 * Earlier user tasks the node `fromElementId` may return to: completed before, upstream of it in the
 * same scope, and a legal move (see `planMove`).
 */
export function returnTargets(facts: MoveFacts, fromElementId: string): ReturnTarget[] {
  const graph = graphOf(facts.definition);
  const from = graph.element(fromElementId);
  if (!from) return [];
  const completed = new Set(facts.completedElements);
  const targets: ReturnTarget[] = [];
  for (const element of facts.definition.model.process.elements) {
    if (element.kind !== 'userTask' || element.id === fromElementId) continue;
    if (element.parentId !== from.parentId || !completed.has(element.id)) continue;
    if (!graph.forward([element.id]).has(fromElementId)) continue;
    const result = planMove(facts, element.id);
    if (!result.ok || !result.plan.leaveElementIds.includes(fromElementId)) continue;
    targets.push({
      elementId: element.id,
      name: element.name ?? null,
      multiInstance: !!element.multiInstance,
    });
  }
  return targets;
}

/** Why `targetId` is not a legal return target of `fromElementId` (null when it is). */
export function explainReturn(facts: MoveFacts, fromElementId: string, targetId: string): PlanResult {
  const graph = graphOf(facts.definition);
  const from = graph.element(fromElementId);
  const target = graph.element(targetId);
  if (!from || !target) return { ok: false, reason: `the process has no node '${targetId}'` };
  if (target.parentId !== from.parentId)
    return { ok: false, reason: `<${targetId}> is in another (sub-)process than <${fromElementId}>` };
  if (!facts.completedElements.includes(targetId))
    return { ok: false, reason: `<${targetId}> has not been completed yet` };
  if (!graph.forward([targetId]).has(fromElementId))
    return { ok: false, reason: `<${targetId}> does not lie before <${fromElementId}>` };
  const result = planMove(facts, targetId);
  if (result.ok && !result.plan.leaveElementIds.includes(fromElementId))
    return { ok: false, reason: `<${fromElementId}> would not move back to <${targetId}>` };
  return result;
}
