// bpmn-js-properties-panel and @bpmn-io/properties-panel ship no types: the parts the designer uses.
declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: Record<string, unknown>;
  export const BpmnPropertiesProviderModule: Record<string, unknown>;
  export function useService<T = unknown>(name: string): T;
}
declare module '@bpmn-io/properties-panel' {
  import type { FunctionComponent } from '@bpmn-io/properties-panel/preact';
  export const TextFieldEntry: FunctionComponent<Record<string, unknown>>;
  export const SelectEntry: FunctionComponent<Record<string, unknown>>;
  export const NumberFieldEntry: FunctionComponent<Record<string, unknown>>;
  export function isTextFieldEntryEdited(node: unknown): boolean;
  export function isSelectEntryEdited(node: unknown): boolean;
  export function isNumberFieldEntryEdited(node: unknown): boolean;
}
declare module 'camunda-bpmn-moddle/resources/camunda.json' {
  const descriptor: Record<string, unknown>;
  export default descriptor;
}
