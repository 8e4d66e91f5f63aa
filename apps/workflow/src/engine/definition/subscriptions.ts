/**
 * Which deployed elements listen for a message or signal name, read from the model: the durable
 * layer routes global messages and signals with these (the engine applies them per instance).
 */
import type { CompiledDefinition } from './compile';
import type { ElementModel } from './model';
import type { HistoryEvent } from '../runtime/types';

type EventKind = 'message' | 'signal';

function nameOf(element: ElementModel): string | undefined {
  const def = element.eventDefinition;
  return def?.refName ?? def?.ref;
}

/** Catching elements (catch / boundary events, receive tasks, event sub-process starts) for `name`. */
export function catchersOf(definition: CompiledDefinition, kind: EventKind, name: string): ElementModel[] {
  const processId = definition.processId;
  return definition.model.process.elements.filter((e) => {
    if (e.eventDefinition?.kind !== kind || nameOf(e) !== name) return false;
    if (e.kind === 'intermediateCatchEvent' || e.kind === 'boundaryEvent' || e.kind === 'receiveTask')
      return true;
    // a process start event starts new instances; an event sub-process start listens inside one
    return e.kind === 'startEvent' && e.parentId !== processId;
  });
}

/** The process's own start event for this message / signal, if any. */
export function startEventFor(
  definition: CompiledDefinition,
  kind: EventKind,
  name: string,
): ElementModel | undefined {
  return definition.model.process.elements.find(
    (e) =>
      e.kind === 'startEvent' &&
      e.parentId === definition.processId &&
      e.eventDefinition?.kind === kind &&
      nameOf(e) === name,
  );
}

/**
 * Whether an instance whose tokens are at `activeElements` waits for the message now: a catcher
 * holds a token, or an event sub-process for it sits in a scope whose own path holds a token (the
 * process, or an embedded sub-process), outside the runs of its event sub-processes.
 */
export function waitsFor(
  definition: CompiledDefinition,
  activeElements: readonly string[],
  kind: EventKind,
  name: string,
): boolean {
  // a scope listens while its own path holds a token: its event sub-processes' runs alone do not
  // keep it listening (Flowable removes the subscriptions once that path has ended)
  const running = new Set<string>();
  // scopes an interrupting event sub-process runs in listen no more (one run each: a multi-instance
  // sub-process's iterations are left to the engine)
  const interrupted = new Set<string>();
  for (const id of activeElements) {
    for (let e = definition.elementsById.get(id); e; e = definition.elementsById.get(e.parentId)) {
      running.add(e.id);
      if (!e.triggeredByEvent) running.add(e.parentId);
      const scope = definition.elementsById.get(e.parentId);
      if (e.triggeredByEvent && interrupts(definition, e) && !scope?.multiInstance)
        interrupted.add(e.parentId);
    }
  }
  return catchersOf(definition, kind, name).some((e) => {
    if (e.kind !== 'startEvent') return activeElements.includes(e.id);
    const eventSubProcess = definition.elementsById.get(e.parentId);
    return (
      eventSubProcess !== undefined &&
      running.has(eventSubProcess.parentId) &&
      !interrupted.has(eventSubProcess.parentId)
    );
  });
}

/** Whether the event sub-process `esp` interrupts its scope (its start event's cancelActivity, true by default). */
function interrupts(definition: CompiledDefinition, esp: ElementModel): boolean {
  const start = definition.model.process.elements.find(
    (e) => e.kind === 'startEvent' && e.parentId === esp.id,
  );
  return start?.cancelActivity !== false;
}

/** Signals thrown by this step's throw / end events (to broadcast to the other instances). */
export function thrownSignals(definition: CompiledDefinition, history: readonly HistoryEvent[]): string[] {
  const names: string[] = [];
  for (const event of history) {
    if (event.event !== 'enter') continue;
    const e = definition.elementsById.get(event.elementId);
    if (!e || (e.kind !== 'intermediateThrowEvent' && e.kind !== 'endEvent')) continue;
    const name = e.eventDefinition?.kind === 'signal' ? nameOf(e) : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}

/**
 * The event that catches a BPMN error thrown at `elementId`, looked for as Camunda does, innermost
 * first: an error boundary event of the element, an error event sub-process of its scope, a boundary
 * event of the enclosing sub-process, ...; at each level a matching errorCode beats a catch-all.
 * Undefined: nothing in this definition catches it (statically exact: a catcher's scope runs while
 * the thrower does).
 */
export function errorCatcherOf(
  definition: CompiledDefinition,
  elementId: string,
  code: string,
): ElementModel | undefined {
  const elements = definition.model.process.elements;
  const pick = (candidates: ElementModel[]) => {
    const errors = candidates.filter((e) => e.eventDefinition?.kind === 'error');
    return (
      errors.find((e) => e.eventDefinition?.code === code) ?? errors.find((e) => !e.eventDefinition?.ref)
    );
  };
  for (let current = definition.elementsById.get(elementId); current;) {
    const host: ElementModel = current;
    const boundary = pick(elements.filter((e) => e.kind === 'boundaryEvent' && e.attachedTo === host.id));
    if (boundary) return boundary;
    const start = pick(
      elements.filter(
        (e) =>
          e.kind === 'startEvent' &&
          definition.elementsById.get(e.parentId)?.triggeredByEvent === true &&
          definition.elementsById.get(e.parentId)?.parentId === host.parentId,
      ),
    );
    if (start) return start;
    current = definition.elementsById.get(host.parentId);
  }
  return undefined;
}

/**
 * Error end events this step reached that nothing in the instance catches (their error codes). In
 * a called child such an error propagates to the caller's call activity (Camunda); where nothing
 * catches it there either, the end event ends its path like a none end event.
 */
export function uncaughtErrors(definition: CompiledDefinition, history: readonly HistoryEvent[]): string[] {
  const codes: string[] = [];
  for (const event of history) {
    if (event.event !== 'enter') continue;
    const e = definition.elementsById.get(event.elementId);
    if (e?.kind !== 'endEvent' || e.eventDefinition?.kind !== 'error') continue;
    const code = e.eventDefinition.code ?? e.eventDefinition.ref ?? '';
    if (!errorCatcherOf(definition, e.id, code)) codes.push(code);
  }
  return codes;
}
