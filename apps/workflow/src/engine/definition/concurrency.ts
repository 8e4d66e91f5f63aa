import { isCron } from './cron';
import { parseCycle } from './iso8601';
import type { ElementModel, FlowModel } from './model';

/** The sequence-flow graph both walks below read. */
function flowGraph(elements: readonly ElementModel[], flows: readonly FlowModel[]) {
  const byId = new Map(elements.map((e) => [e.id, e] as const));
  const outgoing = new Map<string, string[]>();
  const flowsOut = new Map<string, FlowModel[]>();
  const unconditional = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const f of flows) {
    outgoing.set(f.sourceRef, [...(outgoing.get(f.sourceRef) ?? []), f.targetRef]);
    flowsOut.set(f.sourceRef, [...(flowsOut.get(f.sourceRef) ?? []), f]);
    if (!f.condition && !f.isDefault)
      unconditional.set(f.sourceRef, [...(unconditional.get(f.sourceRef) ?? []), f.targetRef]);
    incoming.set(f.targetRef, (incoming.get(f.targetRef) ?? 0) + 1);
  }
  /** The boundary events attached to each activity. */
  const boundaries = new Map<string, ElementModel[]>();
  for (const e of elements)
    if (e.kind === 'boundaryEvent' && e.attachedTo)
      boundaries.set(e.attachedTo, [...(boundaries.get(e.attachedTo) ?? []), e]);
  /** A parallel or inclusive gateway with several incoming flows: where branches are joined. */
  const isJoin = (e: ElementModel): boolean =>
    (e.kind === 'parallelGateway' || e.kind === 'inclusiveGateway') && (incoming.get(e.id) ?? 0) > 1;
  return { byId, outgoing, flowsOut, unconditional, incoming, boundaries, isJoin };
}
type FlowGraph = ReturnType<typeof flowGraph>;

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
 * gateway, any other element with several unconditional outgoing flows, or an activity with a
 * non-interrupting boundary event, whose path runs beside the activity's way on), the elements reachable
 * without passing a join or the split again; an element (other than an end event) two branches reach
 * and that has several incoming flows is where their tokens meet. Deploy time only: one walk per
 * outgoing flow of each split.
 */
export function unjoinedMerges(
  elements: readonly ElementModel[],
  flows: readonly FlowModel[],
): UnjoinedMerge[] {
  const { byId, outgoing, unconditional, incoming, isJoin } = flowGraph(elements, flows);
  // The branches that run together: every flow out of a parallel or inclusive gateway; out of any other
  // element, its unconditional flows. Conditional flows out of a task are how Flowable and RuoYi models
  // choose one way (approve on, reject back to the applicant) without a gateway: not a split here.
  const splitsOf = (e: ElementModel): string[] =>
    e.kind === 'parallelGateway' || e.kind === 'inclusiveGateway'
      ? (outgoing.get(e.id) ?? [])
      : e.kind === 'exclusiveGateway' || e.kind === 'eventBasedGateway'
        ? []
        : (unconditional.get(e.id) ?? []);
  // A non-interrupting boundary event's path runs beside its activity's way on: one more branch.
  const nonInterrupting = new Map<string, string[]>();
  for (const e of elements)
    if (e.kind === 'boundaryEvent' && e.attachedTo && e.cancelActivity === false)
      nonInterrupting.set(e.attachedTo, [...(nonInterrupting.get(e.attachedTo) ?? []), e.id]);
  const branchesOf = (e: ElementModel): string[][] => {
    const own = splitsOf(e).map((target) => [target]);
    const boundaries = nonInterrupting.get(e.id) ?? [];
    if (boundaries.length === 0) return own;
    const way = own.length > 1 ? own : [outgoing.get(e.id) ?? []];
    return [...way, ...boundaries.map((id) => [id])];
  };
  const found: UnjoinedMerge[] = [];
  const reported = new Set<string>();
  for (const split of elements) {
    const branches = branchesOf(split);
    if (branches.length < 2) continue;
    const reachedBy = new Map<string, number>();
    branches.forEach((first, branch) => {
      const seen = new Set<string>();
      const stack = [...first];
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

/** A non-interrupting event that can fire again while the token of its previous firing still waits. */
export interface RepeatedWait {
  /** The boundary event or event sub-process start event. */
  readonly elementId: string;
  /** The first element of its path where that token can wait. */
  readonly waitId: string;
}

/** Elements that hold a token across commands (a task, a catch, a call, a join, a race). */
const WAITING_KINDS = new Set<ElementModel['kind']>([
  'userTask',
  'receiveTask',
  'callActivity',
  'intermediateCatchEvent',
  'eventBasedGateway',
]);

/**
 * Camunda and Flowable start a new token at every firing of a non-interrupting boundary event that
 * fires more than once while its activity runs (a message, a signal, a timeCycle of more than one
 * repetition): a reminder every hour is a new reminder task every hour. bpmn-engine runs an element
 * once at a time in a scope (see unjoinedMerges): the second token waited until the first had left
 * (one reminder task, then the next once it was done). So such an event is refused when its path
 * reaches an element where a token can wait. (A non-interrupting event sub-process runs once per
 * message, signal or timer firing, runs side by side: runtime/event-sub-process-runs.ts.) A path of
 * non-waiting elements (a notification, a variable update, an end event) runs to its end within the
 * firing's command, before the next firing can come. A link throw is taken to reach every link catch
 * of its scope (the model does not keep link names). Deploy time only.
 */
export function repeatedWaits(
  elements: readonly ElementModel[],
  flows: readonly FlowModel[],
): RepeatedWait[] {
  const { byId, outgoing, isJoin } = flowGraph(elements, flows);
  const children = new Map<string, ElementModel[]>();
  for (const e of elements) children.set(e.parentId, [...(children.get(e.parentId) ?? []), e]);
  const waitsMemo = new Map<string, boolean>();
  const waits = (e: ElementModel): boolean => {
    if (WAITING_KINDS.has(e.kind) && e.eventDefinition?.kind !== 'link') return true;
    if (e.externalTopic || isJoin(e)) return true;
    if (e.kind !== 'subProcess') return false;
    if (!waitsMemo.has(e.id)) {
      waitsMemo.set(e.id, false);
      waitsMemo.set(
        e.id,
        (children.get(e.id) ?? []).some((c) => c.kind !== 'boundaryEvent' && waits(c)),
      );
    }
    return waitsMemo.get(e.id)!;
  };
  const next = (e: ElementModel): string[] => {
    const after = outgoing.get(e.id) ?? [];
    if (e.kind !== 'intermediateThrowEvent' || e.eventDefinition?.kind !== 'link') return after;
    const catches = (children.get(e.parentId) ?? []).filter(
      (c) => c.kind === 'intermediateCatchEvent' && c.eventDefinition?.kind === 'link',
    );
    return [...after, ...catches.map((c) => c.id)];
  };
  const firstWait = (from: readonly string[]): string | undefined => {
    const seen = new Set<string>();
    const stack = [...from];
    while (stack.length) {
      const element = byId.get(stack.pop()!);
      if (!element || seen.has(element.id)) continue;
      seen.add(element.id);
      if (waits(element)) return element.id;
      stack.push(...next(element));
    }
    return undefined;
  };
  // an escalation thrown inside the host activity can come again while it runs: once per iteration of a
  // multi-instance host, or from each of several throwing events inside it
  const throwsInside = (hostId: string): number =>
    (children.get(hostId) ?? []).reduce(
      (n, c) =>
        n +
        (c.eventDefinition?.kind === 'escalation' && c.kind !== 'boundaryEvent' && c.kind !== 'startEvent'
          ? 1
          : 0) +
        (c.kind === 'subProcess' ? throwsInside(c.id) : 0),
      0,
    );
  const escalatesAgain = (e: ElementModel): boolean => {
    const host = e.attachedTo ? byId.get(e.attachedTo) : undefined;
    return (
      e.eventDefinition?.kind === 'escalation' &&
      !!host &&
      (!!host.multiInstance || throwsInside(host.id) > 1)
    );
  };
  const found: RepeatedWait[] = [];
  for (const e of elements) {
    if (e.cancelActivity !== false || !(firesAgain(e) || escalatesAgain(e))) continue;
    if (e.kind !== 'boundaryEvent') continue;
    const waitId = firstWait(outgoing.get(e.id) ?? []);
    if (waitId) found.push({ elementId: e.id, waitId });
  }
  return found;
}

/** A message, a signal, or a timer cycle of more than one repetition (computed: it may be). */
function firesAgain(e: ElementModel): boolean {
  const definition = e.eventDefinition;
  if (definition?.kind === 'message' || definition?.kind === 'signal') return true;
  const timer = definition?.kind === 'timer' ? definition.timer : undefined;
  if (timer?.kind !== 'timeCycle') return false;
  if (timer.isExpression || isCron(timer.value)) return true;
  try {
    const { repeat } = parseCycle(timer.value);
    return repeat === -1 || repeat > 1;
  } catch {
    return true; // refused as a timer value anyway
  }
}

/** A join a loop's untaken way can reach while the loop's token goes on. */
export interface LoopPastJoin {
  readonly joinId: string;
  /** Where the loop chooses between going round again and going on to the join. */
  readonly choiceId: string;
}

/**
 * bpmn-engine passes a way not taken on as a discard, down to the next join, and a parallel or inclusive
 * join counts a discarded inbound flow as that branch's arrival. Where a branch can loop (a rework loop:
 * an exclusive gateway sends the token back to an earlier task), every round that goes back discards
 * the way into the join: the join went on without the branch while its token still ran, and the branch's
 * real arrival later started a join that never completed. Camunda waits for the token. So a choice
 * (any element with several outgoing flows that is not a parallel gateway, or an activity with an
 * interrupting boundary event) whose untaken way reaches some but not all inbound flows of a join, and
 * one of whose other ways leads back to the choice without passing that join, is refused at the join.
 * A loop that goes round before a split reaches every inbound flow of its join with the discard (the
 * whole section is skipped, then run): that deploys. A rework loop's way out (`reworkExits`) runs as
 * Camunda does (runtime/rework-exit.ts) and is not refused. Deploy time only.
 */
export function loopsPastJoins(
  elements: readonly ElementModel[],
  flows: readonly FlowModel[],
): LoopPastJoin[] {
  const graph = flowGraph(elements, flows);
  const exits = reworkExits(elements, graph);
  const found: LoopPastJoin[] = [];
  const reported = new Set<string>();
  for (const { joinId, choiceId, flowId } of loopPasses(elements, graph)) {
    if (exits.has(flowId) || reported.has(joinId)) continue;
    reported.add(joinId);
    found.push({ joinId, choiceId });
  }
  return found;
}

/** The rework loops' ways out whose discard would reach a join as a branch's arrival (compile time). */
export function reworkExitsPastJoins(
  elements: readonly ElementModel[],
  flows: readonly FlowModel[],
): Set<string> {
  const graph = flowGraph(elements, flows);
  const exits = reworkExits(elements, graph);
  return new Set(
    loopPasses(elements, graph)
      .map((p) => p.flowId)
      .filter((id) => exits.has(id)),
  );
}

/** Every untaken way of a loop into a join (`loopsPastJoins`), with the flow left untaken. */
function loopPasses(
  elements: readonly ElementModel[],
  { byId, outgoing, flowsOut, incoming, boundaries, isJoin }: FlowGraph,
): Array<LoopPastJoin & { readonly flowId: string }> {
  /** The inbound flows of joins a discard sent down `first` reaches (it stops at a join). */
  const discardReach = (first: FlowModel, choice: string): Map<string, Set<string>> => {
    const reached = new Map<string, Set<string>>();
    const seen = new Set<string>();
    const stack = [first];
    while (stack.length) {
      const flow = stack.pop()!;
      if (seen.has(flow.id)) continue;
      seen.add(flow.id);
      const target = byId.get(flow.targetRef);
      if (!target || target.id === choice) continue;
      if (isJoin(target)) {
        reached.set(target.id, (reached.get(target.id) ?? new Set()).add(flow.id));
        continue;
      }
      stack.push(...(flowsOut.get(target.id) ?? []));
      for (const b of boundaries.get(target.id) ?? []) stack.push(...(flowsOut.get(b.id) ?? []));
    }
    return reached;
  };
  /** Whether the token, going from `from`, can come back to `choice` without passing `join`. */
  const comesBack = (from: string, choice: string, join: string): boolean => {
    const seen = new Set<string>();
    const stack = [from];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === choice) return true;
      if (seen.has(id) || id === join) continue;
      seen.add(id);
      stack.push(...(outgoing.get(id) ?? []));
      for (const b of boundaries.get(id) ?? []) stack.push(b.id);
    }
    return false;
  };

  const found: Array<LoopPastJoin & { readonly flowId: string }> = [];
  for (const choice of elements) {
    if (choice.kind === 'parallelGateway') continue;
    // the ways the token may take from here: its outgoing flows, or an interrupting boundary event's
    const own = flowsOut.get(choice.id) ?? [];
    const interrupting = (boundaries.get(choice.id) ?? []).filter((b) => b.cancelActivity !== false);
    // out of a gateway any flow may be left untaken; out of another element a conditional or default one
    const gateway =
      choice.kind === 'exclusiveGateway' ||
      choice.kind === 'inclusiveGateway' ||
      choice.kind === 'eventBasedGateway';
    const optional = own.filter((f) => gateway || f.condition !== undefined || f.isDefault);
    const ways: Array<{ start: string; discards: FlowModel[] }> = [
      ...interrupting.map((b) => ({ start: b.id, discards: own })),
      ...(optional.length > 0 && own.length > 1
        ? own.map((f) => ({ start: f.targetRef, discards: optional.filter((o) => o !== f) }))
        : []),
    ];
    for (const way of ways)
      for (const untaken of way.discards)
        for (const [joinId, inbound] of discardReach(untaken, choice.id)) {
          if (inbound.size >= (incoming.get(joinId) ?? 0)) continue;
          if (!comesBack(way.start, choice.id, joinId)) continue;
          found.push({ joinId, choiceId: choice.id, flowId: untaken.id });
        }
  }
  return found;
}

/** What may lie on a rework loop's way back: one token, one way on, nothing beside it. */
const LOOP_KINDS: ReadonlySet<ElementModel['kind']> = new Set([
  'userTask',
  'manualTask',
  'task',
  'receiveTask',
  'serviceTask',
  'sendTask',
  'callActivity',
  'subProcess',
  'exclusiveGateway',
]);

/**
 * The ways out of a rework loop that bpmn-engine must not discard when the loop goes round again
 * (see `loopsPastJoins`). A flow qualifies when its source chooses one way (an exclusive gateway, or a
 * task whose every outgoing flow is conditional or default, with no boundary event) and every other
 * way out of it is a closed way back: each element on it has one outgoing flow, no boundary event and
 * is a task, sub-process, call activity or exclusive merge, ending at the choice. Then a run of the
 * choice that leaves this flow untaken sends the token round, and it will come back to the choice: the
 * branch has not arrived. Deploy and compile time; a discard of the whole branch (the choice itself
 * discarded) still passes (runtime/rework-exit.ts).
 */
function reworkExits(
  elements: readonly ElementModel[],
  { byId, flowsOut, boundaries }: FlowGraph,
): Set<string> {
  const bounded = (id: string) => boundaries.has(id);

  const returns = (start: string, choice: string): boolean => {
    const seen = new Set<string>();
    for (let id = start; id !== choice;) {
      const e = byId.get(id);
      const out = flowsOut.get(id) ?? [];
      if (!e || seen.has(id) || !LOOP_KINDS.has(e.kind) || e.multiInstance) return false;
      if (bounded(id) || out.length !== 1) return false;
      seen.add(id);
      id = out[0]!.targetRef;
    }
    return true;
  };

  const exits = new Set<string>();
  for (const choice of elements) {
    const own = flowsOut.get(choice.id) ?? [];
    if (own.length < 2 || bounded(choice.id) || choice.multiInstance) continue;
    const choosesOne =
      choice.kind === 'exclusiveGateway' ||
      (LOOP_KINDS.has(choice.kind) && own.every((f) => f.condition !== undefined || f.isDefault));
    if (!choosesOne) continue;
    const back = own.filter((f) => returns(f.targetRef, choice.id));
    if (back.length === own.length - 1) exits.add(own.find((f) => !back.includes(f))!.id);
  }
  return exits;
}
