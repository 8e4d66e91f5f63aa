import type { CompiledDefinition } from '../definition/compile';

/** What bpmn-elements' ErrorEventDefinition receives: a thrown error (`message`) or a failure (`error`). */
interface ErrorContent {
  readonly message?: { readonly id?: string; readonly code?: unknown };
  readonly error?: { readonly id?: string; readonly code?: unknown };
}
type Handler = (routingKey: string, message: { readonly content: ErrorContent }) => unknown;

/** The catching ErrorEventDefinition of a boundary event, as far as it is used here. */
interface ErrorCatch {
  _onThrowApiMessage: Handler;
  _onErrorMessage: Handler;
}

/** A bpmn-elements activity, as an extension receives it. */
interface BoundaryActivity {
  readonly id: string;
  readonly eventDefinitions?: readonly unknown[];
}

/**
 * bpmn-engine `extensions` entry: of the error boundary events of one activity, the one whose errorCode
 * matches catches the error, and a catch-all (`<errorEventDefinition />`) only an error no other one
 * names (Camunda and Flowable: ErrorPropagation looks for a matching code first; Flowable's
 * ErrorPropagationTest). bpmn-elements gave the error to every boundary event that accepts it, so the
 * catch-all fired beside the specific one: two handlers ran (OtherErrorsTaskNested and MyErrorTaskNested).
 * The catch-all's handlers now pass over an error whose id or code a sibling boundary event names.
 */
export function specificErrorBoundaryFirst(definition: CompiledDefinition) {
  // catch-all boundary id → the error ids and codes its sibling boundary events name
  const siblingsOf = new Map<string, { ids: Set<string>; codes: Set<string> }>();
  const boundaries = definition.model.process.elements.filter(
    (e) => e.kind === 'boundaryEvent' && e.eventDefinition?.kind === 'error',
  );
  for (const catchAll of boundaries) {
    if (catchAll.eventDefinition?.ref) continue;
    const siblings = boundaries.filter((b) => b.attachedTo === catchAll.attachedTo && b.eventDefinition?.ref);
    if (siblings.length === 0) continue;
    siblingsOf.set(catchAll.id, {
      ids: new Set(siblings.map((b) => b.eventDefinition!.ref!)),
      codes: new Set(siblings.map((b) => b.eventDefinition!.code ?? b.eventDefinition!.ref!)),
    });
  }
  return (activity: BoundaryActivity): undefined => {
    const names = siblingsOf.get(activity.id);
    const catcher = activity.eventDefinitions?.[0] as ErrorCatch | undefined;
    if (!names || !catcher) return undefined;
    // as the specific ones match: a thrown error by its <error> id, a reported one by its code
    const named = (id: string | undefined) => id !== undefined && names.ids.has(id);
    const coded = (code: unknown) => code !== undefined && code !== null && names.codes.has(String(code));
    const onThrow = catcher._onThrowApiMessage.bind(catcher);
    const onError = catcher._onErrorMessage.bind(catcher);
    catcher._onThrowApiMessage = (routingKey, message) =>
      named(message.content.message?.id) ? undefined : onThrow(routingKey, message);
    catcher._onErrorMessage = (routingKey, message) =>
      coded(message.content.error?.code) ? undefined : onError(routingKey, message);
    return undefined;
  };
}
