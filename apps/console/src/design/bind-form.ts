/** BPMN elements a form can be bound to (start events and user tasks), read from a deployed XML. */
export interface Bindable {
  id: string;
  name: string;
  kind: 'startEvent' | 'userTask';
  formKey: string | null;
}

const BPMN = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const CAMUNDA = 'http://camunda.org/schema/1.0/bpmn';
const FORM_KEY_ATTRS = ['formKey']; // read as camunda:, flowable: or activiti: (any prefix)

/** `camunda-forms:deployment:key` and plain `key` name the same form (the workflow app reads the last segment). */
export function sameForm(value: string | null, formKey: string): boolean {
  return value !== null && value.split(':').pop()!.trim() === formKey;
}

function formKeyOf(el: Element): string | null {
  for (const attr of Array.from(el.attributes))
    if (FORM_KEY_ATTRS.includes(attr.localName) && attr.prefix) return attr.value;
  return null;
}

export function bindableElements(xml: string): Bindable[] {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const out: Bindable[] = [];
  for (const kind of ['startEvent', 'userTask'] as const)
    for (const el of Array.from(doc.getElementsByTagNameNS(BPMN, kind)))
      out.push({
        id: el.getAttribute('id') ?? '',
        name: el.getAttribute('name') ?? '',
        kind,
        formKey: formKeyOf(el),
      });
  return out;
}

/**
 * The XML with `formKey` set on the chosen elements (as camunda:formKey, replacing any vendor's) and
 * taken off the others that had it (unticking unbinds); deployed, it becomes the process's next version.
 */
export function bindForm(xml: string, elementIds: string[], formKey: string): string {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const root = doc.documentElement;
  if (!root.lookupPrefix(CAMUNDA))
    root.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:camunda', CAMUNDA);
  const prefix = root.lookupPrefix(CAMUNDA) ?? 'camunda';
  for (const kind of ['startEvent', 'userTask'])
    for (const el of Array.from(doc.getElementsByTagNameNS(BPMN, kind))) {
      const chosen = elementIds.includes(el.getAttribute('id') ?? '');
      if (!chosen && !sameForm(formKeyOf(el), formKey)) continue;
      for (const attr of Array.from(el.attributes))
        if (FORM_KEY_ATTRS.includes(attr.localName) && attr.prefix) el.removeAttributeNode(attr);
      if (chosen) el.setAttributeNS(CAMUNDA, `${prefix}:formKey`, formKey);
    }
  return new XMLSerializer().serializeToString(doc);
}
