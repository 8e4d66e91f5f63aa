import type { CompiledDefinition, HistoryEvent, ListenerModel } from '../engine';

/** One run of a listener the operator mapped to "publish" (BPMN_LISTENERS), as the event says it. */
export interface ListenerFiring {
  elementId: string;
  elementName: string | null;
  listenerType: 'execution' | 'task';
  event: string;
  listener: string;
  taskId?: string;
}

const publishing = new WeakMap<CompiledDefinition, boolean>();

/** Whether the version has any published listener (most have none: the step skips the rest). */
export function publishesListeners(compiled: CompiledDefinition): boolean {
  let known = publishing.get(compiled);
  if (known === undefined) {
    known =
      (compiled.model.process.listeners ?? []).some((l) => l.publish) ||
      [...compiled.elementsById.values()].some((e) => e.listeners?.some((l) => l.publish));
    publishing.set(compiled, known);
  }
  return known;
}

function listenersOf(compiled: CompiledDefinition, elementId: string): readonly ListenerModel[] {
  if (elementId === compiled.processId) return compiled.model.process.listeners ?? [];
  return compiled.elementsById.get(elementId)?.listeners ?? [];
}

function firings(
  compiled: CompiledDefinition,
  elementId: string,
  listenerType: 'execution' | 'task',
  event: string,
  taskId?: string,
): ListenerFiring[] {
  return listenersOf(compiled, elementId)
    .filter((l) => l.publish && l.kind === listenerType && l.event === event)
    .map((l) => ({
      elementId,
      elementName:
        (elementId === compiled.processId
          ? compiled.model.process.name
          : compiled.elementsById.get(elementId)?.name) ?? null,
      listenerType,
      event,
      listener: l.handler,
      ...(taskId !== undefined && { taskId }),
    }));
}

/** Execution listeners: `start` when an element (or the process) is entered, `end` when it is left. */
export function executionFirings(
  compiled: CompiledDefinition,
  history: readonly Pick<HistoryEvent, 'elementId' | 'event'>[],
): ListenerFiring[] {
  return history.flatMap((h) =>
    firings(compiled, h.elementId, 'execution', h.event === 'enter' ? 'start' : 'end'),
  );
}

/** Task listeners: `create`, `complete` or `delete` of these task rows. */
export function taskFirings(
  compiled: CompiledDefinition,
  tasks: readonly { id: string; elementId: string }[],
  event: 'create' | 'complete' | 'delete',
): ListenerFiring[] {
  return tasks.flatMap((t) => firings(compiled, t.elementId, 'task', event, t.id));
}
