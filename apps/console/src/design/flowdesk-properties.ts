// The Flowdesk group of the properties panel: who does a user task (picked from the directory, not
// typed ids), its form (from the form list), due date, countersign, and conditions of flows. Values
// are written as camunda: attributes, which the workflow app reads; the server checks them all
// (POST /workflow/definitions/check) before a deploy.
import {
  isNumberFieldEntryEdited,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
  NumberFieldEntry,
  SelectEntry,
  TextFieldEntry,
} from '@bpmn-io/properties-panel';
import { h } from '@bpmn-io/properties-panel/preact';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { is } from 'bpmn-js/lib/util/ModelUtil';
import type { FlowdeskDirectory, Option } from './directory';

interface BusinessObject {
  id: string;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  loopCharacteristics?: BusinessObject;
  completionCondition?: { body?: string };
  conditionExpression?: { body?: string };
  sourceRef?: BusinessObject;
}
interface Element {
  id: string;
  type: string;
  businessObject: BusinessObject;
}
interface Modeling {
  updateProperties(element: Element, properties: Record<string, unknown>): void;
  updateModdleProperties(element: Element, target: BusinessObject, properties: Record<string, unknown>): void;
}
interface BpmnFactory {
  create(type: string, attrs?: Record<string, unknown>): BusinessObject;
}
type Translate = (text: string) => string;
interface Props {
  element: Element;
  id: string;
}

const split = (value: unknown): string[] =>
  typeof value === 'string' && value.trim()
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : [];

export type CountersignMode = '' | 'all' | 'any' | 'ratio';

/** The completion condition of each countersign mode (nrOf… are the engine's multi-instance counters). */
export function completionConditionOf(mode: CountersignMode, ratio: number): string | undefined {
  if (mode === 'any') return '${nrOfCompletedInstances >= 1}';
  if (mode === 'ratio') return `\${nrOfCompletedInstances / nrOfInstances >= ${ratio / 100}}`;
  return undefined; // all: the node ends when every signer has completed
}

export function countersignOf(bo: BusinessObject): { mode: CountersignMode; ratio: number } {
  const loop = bo.loopCharacteristics;
  if (!loop || !is(loop, 'bpmn:MultiInstanceLoopCharacteristics')) return { mode: '', ratio: 50 };
  const body = loop.completionCondition?.body ?? '';
  if (/>=\s*1\s*}$/.test(body) && !body.includes('/')) return { mode: 'any', ratio: 50 };
  const ratio = /\/\s*nrOfInstances\s*>=\s*([\d.]+)/.exec(body);
  if (ratio) return { mode: 'ratio', ratio: Math.round(Number(ratio[1]) * 100) };
  return { mode: 'all', ratio: 50 };
}

/** People picked from the directory: chips for the chosen, a search box, a list of matches. */
function PeopleEntry(
  props: Props & { attribute: 'assignee' | 'candidateUsers'; label: string; multiple: boolean },
) {
  const { element, attribute, multiple } = props;
  const modeling = useService<Modeling>('modeling');
  const directory = useService<FlowdeskDirectory>('flowdeskDirectory');
  const translate = useService<Translate>('translate');
  const chosen = split(element.businessObject.get(`camunda:${attribute}`));
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<Option[]>([]);
  const [, setResolved] = useState(0);
  useEffect(() => {
    void directory.resolve(chosen).then(() => setResolved((n) => n + 1));
  }, [chosen.join(',')]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      directory
        .search(query)
        .then((options) => live && setFound(options))
        .catch(() => live && setFound([]));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);
  const write = (values: string[]) =>
    modeling.updateProperties(element, {
      [`camunda:${attribute}`]: values.length ? values.join(',') : undefined,
    });
  return h('div', { class: 'bio-properties-panel-entry fd-people', 'data-test': `fd-${attribute}` }, [
    h('label', { class: 'bio-properties-panel-label' }, props.label),
    h(
      'div',
      { class: 'fd-chips' },
      chosen.map((value) =>
        h('span', { class: 'fd-chip', 'data-test': 'fd-chip', key: value }, [
          directory.nameOf(value),
          h(
            'button',
            {
              type: 'button',
              class: 'fd-chip-remove',
              title: translate('Remove'),
              onClick: () => write(chosen.filter((v) => v !== value)),
            },
            '×',
          ),
        ]),
      ),
    ),
    h('input', {
      class: 'bio-properties-panel-input',
      'data-test': `fd-${attribute}-search`,
      placeholder: translate('Search the directory…'),
      value: query,
      onInput: (e: Event) => setQuery((e.target as HTMLInputElement).value),
    }),
    found.length
      ? h(
          'ul',
          { class: 'fd-found' },
          found.map((option) =>
            h(
              'li',
              {
                key: option.value,
                'data-test': 'fd-person',
                onClick: () => {
                  write(multiple ? [...new Set([...chosen, option.value])] : [option.value]);
                  setQuery('');
                  setFound([]);
                },
              },
              option.label,
            ),
          ),
        )
      : null,
  ]);
}

// Entry components must keep their identity across renders of the panel (state lives in them).
function AssigneeEntry(props: Props) {
  const translate = useService<Translate>('translate');
  return h(PeopleEntry, { ...props, attribute: 'assignee', label: translate('Assignee'), multiple: false });
}

function CandidateUsersEntry(props: Props) {
  const translate = useService<Translate>('translate');
  return h(PeopleEntry, {
    ...props,
    attribute: 'candidateUsers',
    label: translate('Candidate users'),
    multiple: true,
  });
}

/** Candidate groups: chosen groups and roles as chips, one select to add more. */
function GroupsEntry(props: Props) {
  const { element } = props;
  const modeling = useService<Modeling>('modeling');
  const directory = useService<FlowdeskDirectory>('flowdeskDirectory');
  const translate = useService<Translate>('translate');
  const chosen = split(element.businessObject.get('camunda:candidateGroups'));
  const write = (values: string[]) =>
    modeling.updateProperties(element, {
      'camunda:candidateGroups': values.length ? values.join(',') : undefined,
    });
  return h('div', { class: 'bio-properties-panel-entry', 'data-test': 'fd-candidateGroups' }, [
    h('label', { class: 'bio-properties-panel-label' }, translate('Candidate groups')),
    h(
      'div',
      { class: 'fd-chips' },
      chosen.map((value) =>
        h('span', { class: 'fd-chip', key: value }, [
          directory.nameOf(value),
          h(
            'button',
            {
              type: 'button',
              class: 'fd-chip-remove',
              onClick: () => write(chosen.filter((v) => v !== value)),
            },
            '×',
          ),
        ]),
      ),
    ),
    h(
      'select',
      {
        class: 'bio-properties-panel-input',
        value: '',
        onChange: (e: Event) => {
          const value = (e.target as HTMLSelectElement).value;
          if (value) write([...new Set([...chosen, value])]);
        },
      },
      [
        h('option', { value: '' }, translate('Add a group or role…')),
        ...directory.groups
          .filter((g) => !chosen.includes(g.value))
          .map((g) => h('option', { value: g.value, key: g.value }, g.label)),
      ],
    ),
  ]);
}

function FormEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const directory = useService<FlowdeskDirectory>('flowdeskDirectory');
  const translate = useService<Translate>('translate');
  return h(SelectEntry, {
    element,
    id,
    label: translate('Form'),
    getValue: () => (element.businessObject.get('camunda:formKey') as string | undefined) ?? '',
    setValue: (value: string) =>
      modeling.updateProperties(element, { 'camunda:formKey': value || undefined }),
    getOptions: () => {
      const current = (element.businessObject.get('camunda:formKey') as string | undefined) ?? '';
      const options = [{ value: '', label: translate('(none)') }, ...directory.forms];
      if (current && !directory.forms.some((f) => f.value === current))
        options.push({ value: current, label: current });
      return options;
    },
  });
}

function DueDateEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(TextFieldEntry, {
    element,
    id,
    label: translate('Due date'),
    description: translate('A duration (P3D, PT4H), a date-time or an expression ${…}'),
    debounce,
    getValue: () => (element.businessObject.get('camunda:dueDate') as string | undefined) ?? '',
    setValue: (value: string) =>
      modeling.updateProperties(element, { 'camunda:dueDate': value?.trim() || undefined }),
  });
}

function CountersignEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const factory = useService<BpmnFactory>('bpmnFactory');
  const translate = useService<Translate>('translate');
  return h(SelectEntry, {
    element,
    id,
    label: translate('Countersign'),
    getValue: () => countersignOf(element.businessObject).mode,
    setValue: (mode: CountersignMode) =>
      applyCountersign(element, modeling, factory, mode, countersignOf(element.businessObject).ratio),
    getOptions: () => [
      { value: '', label: translate('No (one person)') },
      { value: 'all', label: translate('All must sign') },
      { value: 'any', label: translate('Any one signs') },
      { value: 'ratio', label: translate('A share signs') },
    ],
  });
}

function RatioEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const factory = useService<BpmnFactory>('bpmnFactory');
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(NumberFieldEntry, {
    element,
    id,
    label: translate('Share that must sign (%)'),
    min: 1,
    max: 100,
    debounce,
    getValue: () => countersignOf(element.businessObject).ratio,
    setValue: (value: number) => applyCountersign(element, modeling, factory, 'ratio', Number(value) || 50),
  });
}

function SignersEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  const loop = element.businessObject.loopCharacteristics;
  return h(TextFieldEntry, {
    element,
    id,
    label: translate('Signers variable'),
    description: translate('The process variable that lists the signers (staff ids)'),
    debounce,
    getValue: () => (loop?.get('camunda:collection') as string | undefined) ?? '',
    setValue: (value: string) => {
      if (loop)
        modeling.updateModdleProperties(element, loop, { 'camunda:collection': value?.trim() || 'signers' });
    },
  });
}

/** Countersign = a parallel multi-instance task, one iteration per signer, with a completion condition. */
function applyCountersign(
  element: Element,
  modeling: Modeling,
  factory: BpmnFactory,
  mode: CountersignMode,
  ratio: number,
): void {
  const bo = element.businessObject;
  if (!mode) {
    const wasSigner = bo.get('camunda:assignee') === '${signer}';
    modeling.updateProperties(element, {
      loopCharacteristics: undefined,
      ...(wasSigner && { 'camunda:assignee': undefined }),
    });
    return;
  }
  const existing = bo.loopCharacteristics;
  const loop =
    existing && is(existing, 'bpmn:MultiInstanceLoopCharacteristics')
      ? existing
      : factory.create('bpmn:MultiInstanceLoopCharacteristics', { isSequential: false });
  if (!loop.get('camunda:collection')) loop.set('camunda:collection', 'signers');
  loop.set('camunda:elementVariable', 'signer');
  const condition = completionConditionOf(mode, ratio);
  if (loop !== existing) {
    loop.completionCondition = condition
      ? (factory.create('bpmn:FormalExpression', { body: condition }) as never)
      : undefined;
    modeling.updateProperties(element, { loopCharacteristics: loop, 'camunda:assignee': '${signer}' });
  } else {
    modeling.updateModdleProperties(element, loop, {
      completionCondition: condition
        ? factory.create('bpmn:FormalExpression', { body: condition })
        : undefined,
    });
    modeling.updateProperties(element, { 'camunda:assignee': '${signer}' });
  }
}

function ConditionEntry(props: Props) {
  const { element, id } = props;
  const modeling = useService<Modeling>('modeling');
  const factory = useService<BpmnFactory>('bpmnFactory');
  const translate = useService<Translate>('translate');
  const debounce = useService<(fn: unknown) => unknown>('debounceInput');
  return h(TextFieldEntry, {
    element,
    id,
    label: translate('Condition'),
    description: translate('An expression such as ${days > 3}; empty = always'),
    debounce,
    getValue: () => element.businessObject.conditionExpression?.body ?? '',
    setValue: (value: string) =>
      modeling.updateProperties(element, {
        conditionExpression: value?.trim()
          ? factory.create('bpmn:FormalExpression', { body: value.trim() })
          : undefined,
      }),
  });
}

interface Entry {
  id: string;
  component: (props: Props) => unknown;
  isEdited?: (node: unknown) => boolean;
}
interface Group {
  id: string;
  label: string;
  entries: Entry[];
}

class FlowdeskPropertiesProvider {
  static $inject = ['propertiesPanel', 'translate'];

  constructor(
    propertiesPanel: { registerProvider(priority: number, provider: unknown): void },
    private readonly translate: Translate,
  ) {
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element: Element): (groups: Group[]) => Group[] {
    return (groups) => {
      const entries: Entry[] = [];
      if (is(element, 'bpmn:UserTask')) {
        const { mode } = countersignOf(element.businessObject);
        entries.push(
          { id: 'fd-assignee', component: AssigneeEntry },
          { id: 'fd-candidate-users', component: CandidateUsersEntry },
          { id: 'fd-candidate-groups', component: GroupsEntry },
          { id: 'fd-form', component: FormEntry, isEdited: isSelectEntryEdited },
          { id: 'fd-due-date', component: DueDateEntry, isEdited: isTextFieldEntryEdited },
          { id: 'fd-countersign', component: CountersignEntry, isEdited: isSelectEntryEdited },
        );
        if (mode === 'ratio')
          entries.push({ id: 'fd-ratio', component: RatioEntry, isEdited: isNumberFieldEntryEdited });
        if (mode)
          entries.push({ id: 'fd-signers', component: SignersEntry, isEdited: isTextFieldEntryEdited });
      } else if (is(element, 'bpmn:StartEvent')) {
        entries.push({ id: 'fd-form', component: FormEntry, isEdited: isSelectEntryEdited });
      } else if (is(element, 'bpmn:SequenceFlow')) {
        const source = element.businessObject.sourceRef;
        // conditions belong on flows out of exclusive / inclusive gateways and activities
        if (
          source &&
          !is(source, 'bpmn:ParallelGateway') &&
          !is(source, 'bpmn:EventBasedGateway') &&
          !is(source, 'bpmn:StartEvent')
        )
          entries.push({ id: 'fd-condition', component: ConditionEntry, isEdited: isTextFieldEntryEdited });
      }
      if (entries.length) groups.splice(1, 0, { id: 'flowdesk', label: this.translate('Flowdesk'), entries });
      return groups;
    };
  }
}

export function flowdeskPropertiesModule(directory: FlowdeskDirectory) {
  return {
    __init__: ['flowdeskPropertiesProvider'],
    flowdeskPropertiesProvider: ['type', FlowdeskPropertiesProvider],
    flowdeskDirectory: ['value', directory],
  };
}
