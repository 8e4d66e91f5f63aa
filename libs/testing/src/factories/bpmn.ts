/** One user task of a generated process: who does it (a BPMN expression or literal). */
export interface StepSpec {
  id: string;
  name?: string;
  assignee?: string;
  candidateUsers?: string;
  candidateGroups?: string;
  /** `camunda:dueDate`: an ISO 8601 duration or date, or an expression. */
  dueDate?: string;
}

/**
 * A straight process start → steps → end, in Camunda's namespace: enough for the task and
 * instance rules, without a fixture file per case.
 */
export function sequentialProcessXml(key: string, steps: StepSpec[], name = key): string {
  const attr = (n: string, v?: string) => (v ? ` camunda:${n}="${v}"` : '');
  const ids = ['start', ...steps.map((s) => s.id), 'end'];
  const flows = ids
    .slice(1)
    .map((target, i) => `<sequenceFlow id="f${i}" sourceRef="${ids[i]}" targetRef="${target}" />`);
  const tasks = steps.map(
    (s) =>
      `<userTask id="${s.id}" name="${s.name ?? s.id}"${attr('assignee', s.assignee)}${attr('candidateUsers', s.candidateUsers)}${attr('candidateGroups', s.candidateGroups)}${attr('dueDate', s.dueDate)} />`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs_${key}" targetNamespace="http://flowdesk.example/${key}">
  <process id="${key}" name="${name}" isExecutable="true">
    <startEvent id="start" />
    ${[...tasks, ...flows].join('\n    ')}
    <endEvent id="end" />
  </process>
</definitions>`;
}
