/** Small BPMN documents for definition and security tests. */
const NAMESPACES = [
  'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"',
  'xmlns:flowable="http://flowable.org/bpmn"',
  'xmlns:activiti="http://activiti.org/bpmn"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
].join(' ');

export function document(
  processBody: string,
  options: { processAttrs?: string; rootExtra?: string } = {},
): string {
  const processAttrs = options.processAttrs ?? 'isExecutable="true"';
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions ${NAMESPACES} id="defs" targetNamespace="http://flowdesk.example/test">
  ${options.rootExtra ?? ''}
  <process id="p" ${processAttrs}>
${processBody}
  </process>
</definitions>`;
}

/** start → `node` (id "t") → end. */
export function linear(
  node: string,
  options: { processAttrs?: string; rootExtra?: string; extra?: string } = {},
): string {
  return document(
    `    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    ${node}
    <sequenceFlow id="f2" sourceRef="t" targetRef="e" />
    <endEvent id="e" />
    ${options.extra ?? ''}`,
    options,
  );
}

/** start → t (user task) → xor → [flow with `condition`] → a / default → b. */
export function conditional(conditionXml: string): string {
  return document(`    <startEvent id="s" />
    <sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" />
    <sequenceFlow id="f2" sourceRef="t" targetRef="gw" />
    <exclusiveGateway id="gw" default="toB" />
    <sequenceFlow id="toA" sourceRef="gw" targetRef="a">${conditionXml}</sequenceFlow>
    <sequenceFlow id="toB" sourceRef="gw" targetRef="b" />
    <userTask id="a" name="A" />
    <userTask id="b" name="B" />`);
}
