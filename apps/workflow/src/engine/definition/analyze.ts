import type { DefinitionIssue } from '../errors';
import { checkStartTimer } from './timer-start';
import { loopsPastJoins, repeatedWaits, unjoinedMerges } from './concurrency';
import { hasExpression, validateExpression } from '../expression';
import { isCron } from './cron';
import { checkTimerValue, parseCycle, parseDateTime, type TimerKind } from './iso8601';
import {
  NS,
  VENDORS,
  type CallActivityModel,
  type DefinitionModel,
  type ElementKind,
  type ElementModel,
  type EventDefinitionKind,
  type EventDefinitionModel,
  type FlowModel,
  type ListenerModel,
  type MultiInstanceModel,
  type NamedRef,
  type UserTaskModel,
  type Vendor,
  type VariableMapping,
} from './model';
import { attr, childElements, textOf, XMLNS_NS, type XmlAttribute, type XmlElement } from './xml';

/** Where a compiled expression must be put into bpmn-engine's parsed model. */
export type SiteTarget =
  | { readonly type: 'flowCondition'; readonly flowId: string }
  | {
      readonly type: 'loop';
      readonly activityId: string;
      readonly field: 'collection' | 'loopCardinality' | 'completionCondition';
    }
  | { readonly type: 'timer'; readonly activityId: string; readonly timerType: TimerKind }
  | { readonly type: 'calledElement'; readonly activityId: string };

export type SiteRole =
  'condition' | 'completionCondition' | 'collection' | 'loopCardinality' | 'timer' | 'calledElement';

export interface SiteSpec {
  readonly elementId: string;
  readonly role: SiteRole;
  /** Expression source (or, for literal timer dates, the canonical ISO text to hand over as is). */
  readonly source: string;
  readonly literal: boolean;
  readonly target: SiteTarget;
}

export interface AnalyzeOptions {
  /**
   * Host-bound implementations that are allowed because a Flowdesk handler takes their place:
   * `class` / `delegateExpression` / `expression` value → handler name. Service tasks bound this
   * way become external work with the handler name as topic; listeners are reported, not run.
   */
  readonly handlers?: Readonly<Record<string, string>>;
  /**
   * Named listeners the operator allows (BPMN_LISTENERS): the bean of `delegateExpression="${name}"`
   * or the `class` name → `ignore` (the listener is dropped) or `publish` (reported in the model with
   * `publish: true`, for the host to publish an event whenever it would run). Others stay refused.
   */
  readonly listeners?: Readonly<Record<string, ListenerAction>>;
  /**
   * Process start events by message / signal / timer that the host triggers (message correlation,
   * signal broadcast, timer-start jobs). The others are refused: they would deploy and never start.
   */
  readonly eventStarts?: ReadonlyArray<'message' | 'signal' | 'timer'>;
  /**
   * Compiling a stored version to run it, not a deploy: the refusals of models that bpmn-engine runs
   * differently from Camunda (tokens meeting without a join, a non-interrupting event firing again
   * while its last token waits) are skipped. They came after some versions were deployed, and those
   * versions' instances and starts go on as they ran; only a new deploy is refused.
   */
  readonly stored?: boolean;
  /**
   * The zone cron fields and dates without an offset are read in (the host's TZ_BUSINESS; UTC when not
   * given), as Camunda and Flowable read them in the server's zone.
   */
  readonly timeZone?: string;
}

export type ListenerAction = 'ignore' | 'publish';

/** Events a published listener may name; others would deploy and never be published. */
const PUBLISHED_EVENTS: Readonly<Record<'execution' | 'task', readonly string[]>> = {
  execution: ['start', 'end'],
  task: ['create', 'complete', 'delete'],
};

/** The name an operator maps: the bean of `${name}` / `#{name}`, or a class name. */
export function listenerName(key: string, value: string): string | undefined {
  if (key === 'delegateExpression') return /^[$#]\{\s*([\p{L}_$][\p{L}\p{N}_$]*)\s*\}$/u.exec(value)?.[1];
  if (key === 'class') return /^[\p{L}_$][\p{L}\p{N}_$.]*$/u.test(value) ? value : undefined;
  return undefined;
}

export interface AnalyzeResult {
  readonly model?: DefinitionModel;
  readonly issues: DefinitionIssue[];
  readonly sites: SiteSpec[];
  /** Every expression source found (to precompile). */
  readonly expressions: string[];
  /** The root, rewritten for bpmn-engine (only when there are no issues). */
  readonly engineRoot: XmlElement;
}

const FLOW_NODE_KINDS: ReadonlySet<string> = new Set<ElementKind>([
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
  'userTask',
  'manualTask',
  'task',
  'receiveTask',
  'serviceTask',
  'sendTask',
  'callActivity',
  'subProcess',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
]);

const REFUSED_ELEMENTS: Readonly<Record<string, string>> = {
  scriptTask:
    'script tasks are not allowed: inline scripts cannot run safely; model the work as a user task or external task',
  businessRuleTask: 'business rule tasks (DMN) are not supported',
  complexGateway: 'complex gateways are not supported',
  transaction: 'transaction sub-processes are not supported',
  adHocSubProcess: 'ad-hoc sub-processes are not supported',
  callChoreography: 'choreographies are not supported',
  choreographyTask: 'choreographies are not supported',
  subChoreography: 'choreographies are not supported',
  standardLoopCharacteristics: 'standard loops are not supported; use multi-instance',
};

/** Children that describe the (sub-)process element itself rather than its content. */
const ACTIVITY_PARTS: ReadonlySet<string> = new Set([
  'incoming',
  'outgoing',
  'multiInstanceLoopCharacteristics',
  'standardLoopCharacteristics',
  'dataInputAssociation',
  'dataOutputAssociation',
  'auditing',
  'monitoring',
  'categoryValueRef',
]);

/** Artifacts and data elements kept as they are (bpmn-engine ignores or tolerates them). */
const PASSIVE_ELEMENTS: ReadonlySet<string> = new Set([
  'textAnnotation',
  'association',
  'group',
  'dataObject',
  'dataObjectReference',
  'dataStoreReference',
  'laneSet',
]);

const EVENT_DEFINITION_KINDS: Readonly<Record<string, EventDefinitionKind | undefined>> = {
  timerEventDefinition: 'timer',
  messageEventDefinition: 'message',
  signalEventDefinition: 'signal',
  errorEventDefinition: 'error',
  escalationEventDefinition: 'escalation',
  terminateEventDefinition: 'terminate',
  linkEventDefinition: 'link',
};

const ALLOWED_EVENT_DEFINITIONS: Readonly<Record<string, ReadonlySet<EventDefinitionKind>>> = {
  startEvent: new Set<EventDefinitionKind>(),
  // each starts its own instances (the durable layer: message correlation, signal broadcast, timer jobs)
  processStart: new Set<EventDefinitionKind>(['message', 'signal', 'timer']),
  // a timer start is a pending timer of the enclosing scope (a `job` row while the scope runs)
  eventSubProcessStart: new Set<EventDefinitionKind>(['message', 'signal', 'timer', 'error', 'escalation']),
  endEvent: new Set<EventDefinitionKind>(['terminate', 'error', 'escalation', 'message', 'signal']),
  intermediateCatchEvent: new Set<EventDefinitionKind>(['timer', 'message', 'signal', 'link']),
  intermediateThrowEvent: new Set<EventDefinitionKind>(['message', 'signal', 'escalation', 'link']),
  boundaryEvent: new Set<EventDefinitionKind>(['timer', 'message', 'signal', 'error', 'escalation']),
};

/** Vendor attributes that bind an element to host code. */
const HOST_CODE_ATTRIBUTES = ['class', 'delegateExpression', 'expression'] as const;
const IDENTIFIER = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

export function analyzeDefinition(root: XmlElement, options: AnalyzeOptions = {}): AnalyzeResult {
  return new Analyzer(options).run(root);
}

class Analyzer {
  private readonly issues: DefinitionIssue[] = [];
  private readonly warnings: string[] = [];
  private readonly sites: SiteSpec[] = [];
  private readonly expressions = new Set<string>();
  private readonly vendors = new Set<Vendor>();
  private readonly ids = new Map<string, XmlElement>();
  private readonly elements: ElementModel[] = [];
  private readonly flows: FlowModel[] = [];
  private readonly messages = new Map<string, string>();
  private readonly signals = new Map<string, string>();
  /** error id → errorCode (the id when the error has no code, as Camunda matches then). */
  private readonly errors = new Map<string, string>();
  private readonly escalations = new Set<string>();
  /** Signals with Flowable's `scope="processInstance"` (thrown and caught within one instance only). */
  private readonly scopedSignals = new Set<string>();
  /** flow id → [scope id, source, target] for the reference check */
  private readonly flowScopes = new Map<string, string>();
  private readonly nodeScopes = new Map<string, string>();
  private readonly defaultRefs: Array<{ owner: string; flow: string }> = [];
  private readonly boundaryRefs: Array<{ id: string; attachedTo: string }> = [];
  private readonly eventRefs: Array<{ id: string; kind: EventDefinitionKind; ref: string }> = [];
  /** Link events, matched by name within their (sub-)process at the end (checkLinks). */
  private readonly links: Array<{ id: string; scopeId: string; name: string; throwing: boolean }> = [];

  /** Process variables the valued data objects of the process set at every start (Flowable). */
  private readonly dataObjects: Record<string, string | number | boolean> = {};

  /** The document's root element, which is also the engine document's. */
  private root?: XmlElement;

  constructor(private readonly options: AnalyzeOptions) {}

  run(root: XmlElement): AnalyzeResult {
    this.root = root;
    const result = (model?: DefinitionModel): AnalyzeResult => ({
      ...(model && this.issues.length === 0 && { model }),
      issues: this.issues,
      sites: this.sites,
      expressions: [...this.expressions],
      engineRoot: root,
    });

    if (root.ns !== NS.bpmn || root.local !== 'definitions') {
      this.issue('', root.name, 'the root element must be a BPMN 2.0 <definitions> element');
      return result();
    }
    this.collectIds(root);

    // root-level reference elements
    for (const child of childElements(root)) {
      if (child.ns !== NS.bpmn) continue;
      const id = attr(child, 'id');
      if (!id) continue;
      if (child.local === 'message') this.messages.set(id, attr(child, 'name') ?? id);
      if (child.local === 'signal') {
        this.signals.set(id, attr(child, 'name') ?? id);
        const scope = this.vendorAttr(child, 'scope');
        if (scope !== undefined && scope.trim() !== 'global') this.scopedSignals.add(id);
      }
      if (child.local === 'error') this.errors.set(id, attr(child, 'errorCode') ?? id);
      if (child.local === 'escalation') this.escalations.add(id);
    }
    for (const [id, name] of [...this.messages, ...this.signals]) this.checkTemplate(id, 'name', name);

    const processes = childElements(root).filter((c) => c.ns === NS.bpmn && c.local === 'process');
    if (processes.length === 0) {
      this.issue('', root.name, 'the document contains no process');
      return result();
    }
    const executable = processes.filter(
      (p) => (attr(p, 'isExecutable') ?? 'true').trim().toLowerCase() !== 'false',
    );
    if (executable.length === 0) {
      this.issue('', root.name, 'the document contains no executable process (all are isExecutable="false")');
      return result();
    }
    if (executable.length > 1) {
      const ids = executable.map((p) => attr(p, 'id') ?? '?').join(', ');
      this.issue(
        attr(executable[1]!, 'id') ?? '',
        executable[1]!.name,
        `only one executable process per document is supported (found ${ids}); deploy each process in its own file`,
      );
      return result();
    }
    const processEl = executable[0]!;
    const processId = attr(processEl, 'id');
    if (!processId) {
      this.issue('', processEl.name, 'the process has no id');
      return result();
    }

    // the engine document: definitions + the one executable process + referenced root elements
    const keepRoot = new Set(['message', 'signal', 'error', 'escalation', 'itemDefinition', 'dataStore']);
    root.children = root.children.filter(
      (c) => c.type !== 'element' || c === processEl || (c.ns === NS.bpmn && keepRoot.has(c.local)),
    );
    for (const c of childElements(root)) if (c !== processEl) this.stripForeign(c);
    if (!attr(root, 'id')) root.attributes.push(plainAttribute('id', `definitions_${processId}`));
    this.stripForeignAttributes(root);
    setAttribute(processEl, 'isExecutable', 'true');

    const processListeners = this.checkListeners(processEl, processId, 'process');
    const startEventId = this.walkScope(processEl, processId, 'process');
    this.checkReferences();
    this.checkEventSubProcessTimers(processId);
    if (!this.options.stored) {
      this.checkConcurrency();
      this.checkSubscriptionNames(processId);
    }

    const vendorValue = (local: string): string[] => splitList(this.vendorAttr(processEl, local));
    const model: DefinitionModel = {
      definitionsId: attr(root, 'id')!,
      ...(attr(root, 'targetNamespace') && { targetNamespace: attr(root, 'targetNamespace') }),
      vendors: VENDORS.filter((v) => this.vendors.has(v)),
      process: {
        id: processId,
        ...(attr(processEl, 'name') && { name: attr(processEl, 'name') }),
        startEventId: startEventId ?? '',
        elements: this.elements,
        flows: this.flows,
        candidateStarterUsers: vendorValue('candidateStarterUsers'),
        candidateStarterGroups: vendorValue('candidateStarterGroups'),
        ...(processListeners.length > 0 && { listeners: processListeners }),
        ...(Object.keys(this.dataObjects).length > 0 && { dataObjects: this.dataObjects }),
      },
      messages: toRefs(this.messages),
      signals: toRefs(this.signals),
      warnings: this.warnings,
    };
    this.stripForeign(processEl);
    return result(model);
  }

  // ------------------------------------------------------------------ scopes

  /** Walks a process or sub-process; returns the id of its none start event. */
  private walkScope(
    scopeEl: XmlElement,
    scopeId: string,
    scopeKind: 'process' | 'subProcess' | 'eventSubProcess',
  ): string | undefined {
    const noneStarts: string[] = [];
    const kept: XmlElement[] = [];
    let flowIndex = 0;

    for (const child of childElements(scopeEl)) {
      if (child.ns !== NS.bpmn) continue; // foreign elements are dropped by stripForeign
      const local = child.local;
      if (ACTIVITY_PARTS.has(local)) {
        kept.push(child); // parts of the sub-process itself (incoming, loop characteristics, ...)
        continue;
      }
      if (
        local === 'documentation' ||
        local === 'extensionElements' ||
        local === 'ioSpecification' ||
        local === 'property'
      ) {
        if (local === 'ioSpecification' || local === 'property')
          this.warn(`${scopeId}: <${child.name}> is ignored`);
        continue;
      }
      if (local === 'sequenceFlow') {
        this.sequenceFlow(child, scopeId, flowIndex++);
        kept.push(child);
        continue;
      }
      if (PASSIVE_ELEMENTS.has(local)) {
        if (local === 'dataObject') this.dataObject(child, scopeKind);
        kept.push(child);
        continue;
      }
      const id = attr(child, 'id') ?? this.eventSubProcessId(child, scopeId);
      if (id) this.nodeScopes.set(id, scopeId);
      if (REFUSED_ELEMENTS[local]) {
        const format = local === 'scriptTask' ? attr(child, 'scriptFormat') : undefined;
        this.issue(
          id ?? '',
          child.name,
          format ? `${REFUSED_ELEMENTS[local]!} (scriptFormat="${format}")` : REFUSED_ELEMENTS[local]!,
        );
        continue;
      }
      if (!FLOW_NODE_KINDS.has(local)) {
        this.issue(id ?? '', child.name, `unsupported element <${child.name}>`);
        continue;
      }
      if (!id) {
        this.issue('', child.name, `a <${child.name}> has no id`);
        continue;
      }
      this.nodeScopes.set(id, scopeId);
      const element = this.flowNode(child, id, local as ElementKind, scopeId, scopeKind);
      if (element) {
        this.elements.push(element);
        if (element.kind === 'startEvent' && !element.eventDefinition) noneStarts.push(id);
      }
      kept.push(child);
    }
    scopeEl.children = kept;

    if (scopeKind === 'process') {
      const eventStarts = this.elements.filter(
        (e) => e.kind === 'startEvent' && e.parentId === scopeId && e.eventDefinition,
      );
      if (noneStarts.length === 0 && eventStarts.length === 0)
        this.issue(scopeId, scopeEl.name, 'the process has no start event');
      else if (noneStarts.length > 1)
        this.issue(
          noneStarts[1]!,
          'startEvent',
          `the process has more than one none start event (${noneStarts.join(', ')})`,
        );
    } else if (scopeKind === 'subProcess' && noneStarts.length !== 1) {
      this.issue(
        scopeId,
        scopeEl.name,
        noneStarts.length
          ? 'an embedded sub-process must have exactly one none start event'
          : 'the sub-process has no start event',
      );
    }
    return noneStarts[0];
  }

  private flowNode(
    el: XmlElement,
    id: string,
    kind: ElementKind,
    scopeId: string,
    scopeKind: string,
  ): ElementModel | undefined {
    const name = attr(el, 'name');
    const consumed = new Set<string>();
    const base: { -readonly [K in keyof ElementModel]: ElementModel[K] } = {
      id,
      kind,
      parentId: scopeId,
      ...(name !== undefined && { name }),
    };
    const listeners = this.checkListeners(el, id, kind);
    if (listeners.length) base.listeners = listeners;

    const mi = this.loopCharacteristics(el, id);
    if (mi) base.multiInstance = mi;

    const eventDefinition = this.eventDefinition(el, id, kind, scopeKind);
    if (eventDefinition) base.eventDefinition = eventDefinition;
    if (eventDefinition?.kind === 'link') {
      const def = childElements(el).find((c) => c.ns === NS.bpmn && c.local === 'linkEventDefinition');
      const name = (def && attr(def, 'name')) ?? '';
      this.links.push({ id, scopeId, name, throwing: kind === 'intermediateThrowEvent' });
    }

    switch (kind) {
      case 'startEvent': {
        const initiator = this.vendorAttr(el, 'initiator', consumed);
        if (initiator) {
          if (!IDENTIFIER.test(initiator))
            this.issue(id, el.name, `initiator '${initiator}' is not a valid variable name`);
          base.initiator = initiator;
        }
        const formKey = this.vendorAttr(el, 'formKey', consumed);
        if (formKey) base.formKey = formKey;
        if (formKey && hasExpression(formKey)) this.checkExpression(id, 'formKey', formKey);
        if (scopeKind === 'eventSubProcess')
          base.cancelActivity = (attr(el, 'isInterrupting') ?? 'true').trim() !== 'false';
        break;
      }
      case 'userTask':
        base.userTask = this.userTask(el, id, consumed);
        if (base.userTask.formKey) base.formKey = base.userTask.formKey;
        if (name && hasExpression(name)) this.checkTemplate(id, 'name', name);
        break;
      case 'manualTask':
        // Camunda / Flowable pass through manual tasks; bpmn-engine would wait: run it as a plain task.
        rename(el, 'task');
        break;
      case 'receiveTask': {
        const ref = attr(el, 'messageRef');
        if (ref) {
          this.eventRefs.push({ id, kind: 'message', ref });
          base.eventDefinition = { kind: 'message', ref, refName: this.messages.get(ref) ?? ref };
        }
        break;
      }
      case 'serviceTask':
      case 'sendTask': {
        const topic = this.serviceImplementation(el, id, consumed);
        if (topic === undefined) return undefined;
        base.externalTopic = topic;
        rename(el, 'manualTask'); // bpmn-engine's manual task waits for a signal, like external work
        removeAttribute(el, 'implementation');
        removeAttribute(el, 'operationRef');
        break;
      }
      case 'callActivity': {
        const call = this.callActivity(el, id, consumed);
        if (call) base.callActivity = call;
        break;
      }
      case 'subProcess': {
        const triggered = (attr(el, 'triggeredByEvent') ?? '').trim() === 'true';
        if (triggered) base.triggeredByEvent = true;
        this.walkScope(el, id, triggered ? 'eventSubProcess' : 'subProcess');
        break;
      }
      case 'exclusiveGateway':
      case 'inclusiveGateway':
      case 'parallelGateway':
      case 'task':
      case 'endEvent':
      case 'intermediateCatchEvent':
      case 'intermediateThrowEvent':
        break;
      case 'eventBasedGateway':
        if ((attr(el, 'instantiate') ?? '') === 'true')
          this.issue(id, el.name, 'instantiating event-based gateways are not supported');
        break;
      case 'boundaryEvent': {
        const attachedTo = attr(el, 'attachedToRef');
        if (!attachedTo) this.issue(id, el.name, 'boundary event without attachedToRef');
        else {
          base.attachedTo = attachedTo;
          this.boundaryRefs.push({ id, attachedTo });
        }
        base.cancelActivity = (attr(el, 'cancelActivity') ?? 'true').trim() !== 'false';
        // one whose definition is refused (conditional, cancel, compensate) has been named for that already
        if (!childElements(el).some((c) => c.ns === NS.bpmn && c.local.endsWith('EventDefinition')))
          this.issue(id, el.name, 'boundary event without an event definition');
        break;
      }
    }

    const defaultFlow = attr(el, 'default');
    if (defaultFlow) {
      base.defaultFlow = defaultFlow;
      this.defaultRefs.push({ owner: id, flow: defaultFlow });
    }

    this.checkRemainingAttributes(el, id, consumed);
    return base;
  }

  // ------------------------------------------------------------------ element kinds

  private userTask(el: XmlElement, id: string, consumed: Set<string>): UserTaskModel {
    const get = (local: string): string | undefined => this.vendorAttr(el, local, consumed);
    let assignee = get('assignee');
    const candidateUsers = splitList(get('candidateUsers'));
    const candidateGroups = splitList(get('candidateGroups'));

    // BPMN standard resource assignment (humanPerformer / potentialOwner), as Camunda reads it.
    for (const child of childElements(el)) {
      if (
        child.ns !== NS.bpmn ||
        (child.local !== 'humanPerformer' && child.local !== 'potentialOwner' && child.local !== 'performer')
      )
        continue;
      const formal = findDeep(child, 'formalExpression');
      const text = formal ? textOf(formal).trim() : '';
      if (!text) continue;
      if (child.local === 'humanPerformer' || child.local === 'performer') {
        assignee ??= text;
        continue;
      }
      for (const item of splitList(text)) {
        const m = /^(user|group)\((.*)\)$/.exec(item);
        if (m && m[1] === 'user') candidateUsers.push(m[2]!.trim());
        else if (m) candidateGroups.push(m[2]!.trim());
        else candidateGroups.push(item);
      }
    }
    el.children = el.children.filter(
      (c) =>
        !(
          c.type === 'element' &&
          c.ns === NS.bpmn &&
          ['humanPerformer', 'potentialOwner', 'performer'].includes(c.local)
        ),
    );

    const skip = get('skipExpression');
    if (skip) this.issue(id, el.name, 'skipExpression is not supported');

    const model: { -readonly [K in keyof UserTaskModel]: UserTaskModel[K] } = {
      candidateUsers,
      candidateGroups,
    };
    if (assignee) model.assignee = assignee;
    for (const key of ['formKey', 'dueDate', 'followUpDate', 'priority', 'category'] as const) {
      const value = get(key);
      if (value) model[key] = value;
    }
    for (const value of [
      model.assignee,
      ...candidateUsers,
      ...candidateGroups,
      model.formKey,
      model.dueDate,
      model.followUpDate,
      model.priority,
    ]) {
      if (value && hasExpression(value)) this.checkExpression(id, 'assignment', value);
    }
    for (const key of ['dueDate', 'followUpDate'] as const) {
      const value = model[key];
      if (value && !hasExpression(value)) {
        const reason = checkTimerValue(
          value.trim().toUpperCase().startsWith('P') ? 'timeDuration' : 'timeDate',
          value,
        );
        if (reason) this.issue(id, el.name, `${key}: ${reason}`);
      }
    }
    return model;
  }

  /** Returns the external topic, or undefined (after an issue) when the task cannot run here. */
  private serviceImplementation(el: XmlElement, id: string, consumed: Set<string>): string | undefined {
    for (const key of HOST_CODE_ATTRIBUTES) {
      const value = this.vendorAttr(el, key, consumed);
      if (value === undefined) continue;
      const handler = this.options.handlers?.[value];
      if (handler) return handler;
      this.issue(id, el.name, `${key}="${value}" binds the task to host code, which is not allowed`);
      return undefined;
    }
    for (const child of childElements(el)) {
      if (child.local === 'extensionElements') {
        for (const ext of childElements(child)) {
          if (this.vendorOf(ext) && ext.local === 'connector') {
            this.issue(id, el.name, 'connectors (camunda:connector) are not supported');
            return undefined;
          }
        }
      }
    }
    const type = this.vendorAttr(el, 'type', consumed);
    const topic = this.vendorAttr(el, 'topic', consumed);
    if (type === 'external' || type === 'external-worker') {
      if (!topic) {
        this.issue(id, el.name, `an external ${el.local} needs a topic`);
        return undefined;
      }
      if (hasExpression(topic)) this.checkExpression(id, 'topic', topic);
      return topic;
    }
    if (type) {
      this.issue(id, el.name, `${el.local} of type "${type}" is not supported`);
      return undefined;
    }
    this.issue(
      id,
      el.name,
      `${el.local} has no implementation Flowdesk can run; model it as external work (camunda:type="external" camunda:topic="...")`,
    );
    return undefined;
  }

  private callActivity(el: XmlElement, id: string, consumed: Set<string>): CallActivityModel | undefined {
    const calledElement = attr(el, 'calledElement');
    if (this.vendorAttr(el, 'caseRef', consumed)) {
      this.issue(id, el.name, 'calling CMMN cases is not supported');
      return undefined;
    }
    for (const key of ['variableMappingClass', 'variableMappingDelegateExpression'] as const) {
      const value = this.vendorAttr(el, key, consumed);
      if (value)
        this.issue(
          id,
          el.name,
          `${key}="${value}" binds the call activity to host code, which is not allowed`,
        );
    }
    if (!calledElement || !calledElement.trim()) {
      this.issue(id, el.name, 'call activity without calledElement');
      return undefined;
    }
    if (hasExpression(calledElement)) {
      this.checkExpression(id, 'calledElement', calledElement);
      this.site(id, 'calledElement', calledElement, { type: 'calledElement', activityId: id });
    }

    const inputs: VariableMapping[] = [];
    const outputs: VariableMapping[] = [];
    let businessKey: string | undefined;
    for (const ext of this.vendorExtensions(el)) {
      if (ext.local !== 'in' && ext.local !== 'out') continue;
      const mapping: { -readonly [K in keyof VariableMapping]: VariableMapping[K] } = {};
      const source = attr(ext, 'source');
      const sourceExpression = attr(ext, 'sourceExpression');
      const target = attr(ext, 'target');
      const variables = attr(ext, 'variables');
      const bk = attr(ext, 'businessKey');
      if (source !== undefined) mapping.source = source;
      if (sourceExpression !== undefined) {
        mapping.sourceExpression = sourceExpression;
        this.checkExpression(id, `${ext.local} sourceExpression`, sourceExpression);
      }
      if (target !== undefined) mapping.target = target;
      if (variables === 'all') mapping.all = true;
      if (attr(ext, 'local') === 'true') mapping.local = true;
      if (bk !== undefined && ext.local === 'in') {
        businessKey = bk;
        this.checkExpression(id, 'businessKey', bk);
        if (!mapping.source && !mapping.sourceExpression && !mapping.all) continue;
      }
      if (!mapping.all && !(mapping.source || mapping.sourceExpression)) {
        this.issue(id, el.name, `<${ext.name}> needs source, sourceExpression or variables="all"`);
        continue;
      }
      if (!mapping.all && !mapping.target) {
        this.issue(id, el.name, `<${ext.name}> needs a target`);
        continue;
      }
      (ext.local === 'in' ? inputs : outputs).push(mapping);
    }
    const binding = this.vendorAttr(el, 'calledElementBinding', consumed) ?? 'latest';
    const version =
      this.vendorAttr(el, 'calledElementVersion', consumed) ??
      this.vendorAttr(el, 'calledElementVersionTag', consumed);
    const inherit = this.vendorAttr(el, 'inheritVariables', consumed) === 'true';
    return {
      calledElement,
      binding,
      ...(version && { version }),
      inputs,
      outputs,
      ...(businessKey && { businessKey }),
      inheritVariables: inherit,
    };
  }

  private loopCharacteristics(el: XmlElement, id: string): MultiInstanceModel | undefined {
    const loop = childElements(el).find(
      (c) =>
        c.ns === NS.bpmn &&
        (c.local === 'multiInstanceLoopCharacteristics' || c.local === 'standardLoopCharacteristics'),
    );
    if (!loop) return undefined;
    if (loop.local === 'standardLoopCharacteristics') {
      this.issue(id, el.name, REFUSED_ELEMENTS['standardLoopCharacteristics']!);
      return undefined;
    }
    const consumed = new Set<string>();
    const isSequential = (attr(loop, 'isSequential') ?? 'false').trim() === 'true';
    const child = (local: string): XmlElement | undefined =>
      childElements(loop).find((c) => c.ns === NS.bpmn && c.local === local);
    const text = (local: string): string | undefined => {
      const c = child(local);
      if (c) this.checkLanguage(c, id, local);
      const t = c ? textOf(c).trim() : '';
      return t || undefined;
    };

    let collection: string | undefined;
    let collectionVariable: string | undefined;
    const vendorCollection = this.vendorAttr(loop, 'collection', consumed);
    const dataInputRef = text('loopDataInputRef');
    const rawCollection = vendorCollection ?? dataInputRef;
    if (vendorCollection && dataInputRef)
      this.warn(
        `${id}: both a vendor collection and loopDataInputRef are given; the vendor collection is used`,
      );
    if (rawCollection) {
      if (hasExpression(rawCollection)) collection = rawCollection.trim();
      else if (IDENTIFIER.test(rawCollection.trim())) {
        collectionVariable = rawCollection.trim();
        collection = `\${${collectionVariable}}`;
      } else
        this.issue(
          id,
          el.name,
          `multi-instance collection '${rawCollection}' is neither an expression nor a variable name`,
        );
    }
    const inputItem = child('inputDataItem');
    const elementVariable =
      this.vendorAttr(loop, 'elementVariable', consumed) ??
      (inputItem ? (attr(inputItem, 'name') ?? attr(inputItem, 'id')) : undefined);
    if (elementVariable !== undefined && !IDENTIFIER.test(elementVariable))
      this.issue(id, el.name, `element variable '${elementVariable}' is not a valid variable name`);
    const loopCardinality = text('loopCardinality');
    const completionCondition = text('completionCondition');

    if (!collection && !loopCardinality)
      this.issue(id, el.name, 'multi-instance needs loopCardinality or a collection');
    if (elementVariable && !collection) this.issue(id, el.name, 'an element variable needs a collection');

    const sites: Array<[string | undefined, 'collection' | 'loopCardinality' | 'completionCondition']> = [
      [collection, 'collection'],
      [loopCardinality, 'loopCardinality'],
      [completionCondition, 'completionCondition'],
    ];
    for (const [source, field] of sites) {
      if (!source) continue;
      if (field === 'loopCardinality' && !hasExpression(source) && !/^\d+$/.test(source)) {
        this.issue(id, el.name, `loopCardinality '${source}' is neither an expression nor a whole number`);
        continue;
      }
      if (field !== 'loopCardinality' || hasExpression(source)) this.checkExpression(id, field, source);
      this.site(id, field, source, { type: 'loop', activityId: id, field });
    }
    this.checkRemainingAttributes(loop, id, consumed);
    for (const ext of this.vendorExtensions(loop)) {
      // Flowable gathers each iteration's variables into one; here they would be missing
      if (ext.local === 'variableAggregation')
        this.issue(id, el.name, `<${ext.name}> (multi-instance variable aggregation) is not supported`);
      // a collection handler class or parsed text: give the collection as an expression instead
      else if (ext.local === 'collection')
        this.issue(id, el.name, `<${ext.name}> (a custom multi-instance collection) is not supported`);
      else this.warn(`${id}: vendor extension <${ext.name}> of the multi-instance loop is ignored`);
    }
    // bpmn-engine gets the collection through our site; drop references moddle cannot resolve.
    loop.children = loop.children.filter(
      (c) =>
        !(
          c.type === 'element' &&
          (c.local === 'loopDataInputRef' ||
            c.local === 'inputDataItem' ||
            c.local === 'loopDataOutputRef' ||
            c.local === 'outputDataItem')
        ),
    );

    return {
      isSequential,
      ...(collection && { collection }),
      ...(collectionVariable && { collectionVariable }),
      ...(elementVariable && { elementVariable }),
      ...(loopCardinality && { loopCardinality }),
      ...(completionCondition && { completionCondition }),
    };
  }

  private eventDefinition(
    el: XmlElement,
    id: string,
    kind: ElementKind,
    scopeKind: string,
  ): EventDefinitionModel | undefined {
    const definitions = childElements(el).filter(
      (c) => c.ns === NS.bpmn && c.local.endsWith('EventDefinition'),
    );
    const refs = childElements(el).filter((c) => c.ns === NS.bpmn && c.local === 'eventDefinitionRef');
    if (refs.length) this.issue(id, el.name, 'eventDefinitionRef is not supported');
    if (definitions.length === 0) return undefined;
    if (definitions.length > 1) {
      this.issue(id, el.name, 'events with more than one event definition are not supported');
      return undefined;
    }
    const def = definitions[0]!;
    // Camunda's variables passed with a thrown signal (camunda:in inside the event definition)
    for (const ext of this.vendorExtensions(def))
      if (ext.local === 'in' || ext.local === 'out')
        this.issue(id, el.name, `<${ext.name}> on a ${def.local} (event payload mapping) is not supported`);
    const defKind = EVENT_DEFINITION_KINDS[def.local];
    if (!defKind) {
      const what = def.local.replace('EventDefinition', '');
      this.issue(id, el.name, `${what} events are not supported`);
      return undefined;
    }
    const allowedKey =
      kind === 'startEvent' && scopeKind === 'eventSubProcess'
        ? 'eventSubProcessStart'
        : kind === 'startEvent' && scopeKind === 'process'
          ? 'processStart'
          : kind;
    const allowed = ALLOWED_EVENT_DEFINITIONS[allowedKey];
    if (
      allowedKey === 'processStart' &&
      allowed?.has(defKind) &&
      !(this.options.eventStarts ?? []).includes(defKind as 'message')
    ) {
      this.issue(id, el.name, `${defKind} start events are not enabled on this platform`);
      return undefined;
    }
    if (!allowed || !allowed.has(defKind)) {
      const where =
        kind === 'startEvent'
          ? scopeKind === 'process'
            ? 'a process start event (supported: none, message, signal, timer)'
            : scopeKind === 'eventSubProcess'
              ? 'an event sub-process start event (supported: message, signal, timer, error, escalation)'
              : 'this start event'
          : `a ${kind}`;
      this.issue(id, el.name, `${defKind} is not supported on ${where}`);
      return undefined;
    }

    switch (defKind) {
      case 'timer':
        if (kind === 'startEvent' && scopeKind === 'process') return this.startTimer(def, id, el.name);
        if (kind === 'startEvent') return this.eventSubProcessTimer(el, def, id);
        return { kind: 'timer', ...this.timer(def, id, el.name) };
      case 'message':
      case 'signal':
      case 'error':
      case 'escalation': {
        const refAttr = `${defKind}Ref`;
        const ref = this.resolveQName(def, refAttr);
        const variables =
          defKind === 'error'
            ? {
                ...optional('errorCodeVariable', this.vendorAttr(def, 'errorCodeVariable')),
                ...optional('errorMessageVariable', this.vendorAttr(def, 'errorMessageVariable')),
              }
            : {};
        for (const name of Object.values(variables))
          if (!IDENTIFIER.test(name)) this.issue(id, el.name, `'${name}' is not a valid variable name`);
        if (!ref) {
          if (defKind === 'message' || defKind === 'signal')
            this.issue(id, el.name, `${defKind} event without ${refAttr}`);
          return { kind: defKind, ...variables };
        }
        this.eventRefs.push({ id, kind: defKind, ref });
        const refName =
          defKind === 'message'
            ? this.messages.get(ref)
            : defKind === 'signal'
              ? this.signals.get(ref)
              : undefined;
        // Camunda and Flowable take an errorRef that names no <error> as the error code itself
        const code = defKind === 'error' ? (this.errors.get(ref) ?? ref) : undefined;
        return {
          kind: defKind,
          ref,
          ...(refName !== undefined && { refName }),
          ...(code !== undefined && { code }),
          ...variables,
        };
      }
      case 'terminate':
        // Flowable's terminateAll ends the root instance (a caller of a call activity too) and
        // terminateMultiInstance every iteration; both were ignored, so only the innermost scope ended
        for (const flag of ['terminateAll', 'terminateMultiInstance'])
          if (this.vendorAttr(def, flag)?.trim() === 'true')
            this.issue(
              id,
              el.name,
              `${flag}="true" on a terminate end event is not supported (it would end more than the scope the event is in)`,
            );
        return { kind: defKind };
      case 'link':
        return { kind: defKind };
    }
  }

  /**
   * A process timer start event is scheduled by the durable layer (never by bpmn-engine): literal
   * values only (no instance variables exist yet); timeCycle may also be a Quartz cron expression.
   */
  /**
   * `messageRef="tns:newInvoice"` where tns is the targetNamespace: Camunda resolves the QName to the
   * local id; so do we (and rewrite it, so bpmn-moddle resolves it too).
   */
  private resolveQName(el: XmlElement, name: string): string | undefined {
    const value = attr(el, name);
    if (!value || !value.includes(':')) return value;
    const local = value.slice(value.indexOf(':') + 1);
    const known =
      [this.messages, this.signals, this.errors].some((m) => m.has(local)) || this.escalations.has(local);
    if (!known || [this.messages, this.signals, this.errors].some((m) => m.has(value))) return value;
    setAttribute(el, name, local);
    return local;
  }

  private startTimer(def: XmlElement, id: string, elementName: string): EventDefinitionModel {
    const parts = childElements(def).filter(
      (c) =>
        c.ns === NS.bpmn && (c.local === 'timeDuration' || c.local === 'timeDate' || c.local === 'timeCycle'),
    );
    if (parts.length !== 1) {
      this.issue(id, elementName, 'a timer needs exactly one of timeDuration, timeDate or timeCycle');
      return { kind: 'timer' };
    }
    const part = parts[0]!;
    this.checkLanguage(part, id, part.local);
    const timerKind = part.local as TimerKind;
    const value = textOf(part).trim();
    if (hasExpression(value)) {
      this.issue(
        id,
        elementName,
        `${timerKind}: a timer start event needs a literal value, not an expression`,
      );
      return { kind: 'timer' };
    }
    const reason = checkStartTimer(timerKind, value);
    if (reason) this.issue(id, elementName, `${timerKind}: ${reason}`);
    return { kind: 'timer', timer: { kind: timerKind, value, isExpression: false } };
  }

  /**
   * The timer of a timer-started event sub-process is the host's (a `job` row while the enclosing
   * scope runs, see runtime `syncScopeTimers`): bpmn-engine only starts event sub-processes for events
   * thrown inside the process, so its engine copy becomes a none start that the host runs when due.
   * Literal values as for timer start events (ISO and Quartz cron cycles); an expression is evaluated
   * when the scope is entered.
   */
  private eventSubProcessTimer(el: XmlElement, def: XmlElement, id: string): EventDefinitionModel {
    const parts = childElements(def).filter(
      (c) =>
        c.ns === NS.bpmn && (c.local === 'timeDuration' || c.local === 'timeDate' || c.local === 'timeCycle'),
    );
    if (parts.length !== 1) {
      this.issue(id, el.name, 'a timer needs exactly one of timeDuration, timeDate or timeCycle');
      return { kind: 'timer' };
    }
    const part = parts[0]!;
    this.checkLanguage(part, id, part.local);
    const timerKind = part.local as TimerKind;
    const value = textOf(part).trim();
    const isExpression = hasExpression(value);
    if (isExpression) this.checkExpression(id, timerKind, value);
    else {
      const reason = checkStartTimer(timerKind, value);
      if (reason) this.issue(id, el.name, `${timerKind}: ${reason}`);
    }
    el.children = el.children.filter((c) => c !== def);
    return { kind: 'timer', timer: { kind: timerKind, value, isExpression } };
  }

  private timer(def: XmlElement, id: string, elementName: string): Pick<EventDefinitionModel, 'timer'> {
    const parts = childElements(def).filter(
      (c) =>
        c.ns === NS.bpmn && (c.local === 'timeDuration' || c.local === 'timeDate' || c.local === 'timeCycle'),
    );
    if (parts.length !== 1) {
      this.issue(id, elementName, 'a timer needs exactly one of timeDuration, timeDate or timeCycle');
      return {};
    }
    const part = parts[0]!;
    this.checkLanguage(part, id, part.local);
    const timerKind = part.local as TimerKind;
    const value = textOf(part).trim();
    const isExpression = hasExpression(value);
    if (isExpression) {
      this.checkExpression(id, timerKind, value);
      this.site(id, 'timer', value, { type: 'timer', activityId: id, timerType: timerKind });
    } else {
      const reason = checkTimerValue(timerKind, value);
      if (reason) this.issue(id, elementName, `${timerKind}: ${reason}`);
      else {
        const canonical =
          timerKind === 'timeDate' ? parseDateTime(value, this.options.timeZone).toISOString() : value;
        this.sites.push({
          elementId: id,
          role: 'timer',
          source: canonical,
          // a cycle with a start date is read when armed (adapters: pendingCycle)
          literal: !(timerKind === 'timeCycle' && !isCron(value) && parseCycle(value).start),
          target: { type: 'timer', activityId: id, timerType: timerKind },
        });
      }
    }
    return { timer: { kind: timerKind, value, isExpression } };
  }

  /**
   * A timer event sub-process is armed once per run of its scope: the process or an embedded
   * sub-process that runs once at a time (not multi-instance, not itself an event sub-process).
   */
  /** Deploy-time refusals of models whose tokens bpmn-engine would run differently (see `stored`). */
  private checkConcurrency(): void {
    const flows = [...this.flows, ...this.linkFlows()];
    for (const { elementId, splitId } of unjoinedMerges(this.elements, flows))
      this.issue(
        elementId,
        this.ids.get(elementId)?.name ?? '',
        `tokens of two branches of <${splitId}> can meet here without a parallel or inclusive join: Camunda and Flowable run each token on its own (two tasks, two sets of catch events), bpmn-engine only one at a time; join the branches first`,
      );
    for (const { joinId, choiceId } of loopsPastJoins(this.elements, flows))
      this.issue(
        joinId,
        this.ids.get(joinId)?.name ?? '',
        `a loop through <${choiceId}> can go round again while the way from it into this join is not taken: bpmn-engine counts that as the branch's arrival and goes on without it (Camunda waits for the token); put the loop before the split or after the join, or let it leave the branch through the join`,
      );
    for (const { elementId, waitId } of repeatedWaits(this.elements, flows)) {
      const escalation =
        this.elements.find((e) => e.id === elementId)?.eventDefinition?.kind === 'escalation';
      this.issue(
        elementId,
        this.ids.get(elementId)?.name ?? '',
        `this non-interrupting event can fire again while the token of its previous firing waits at <${waitId}>: Camunda and Flowable start a new token each time (a new task per firing), bpmn-engine runs <${waitId}> once at a time; ` +
          (escalation
            ? 'catch the escalation with a non-interrupting event sub-process instead (each escalation starts a run of its own), or let its path end without waiting'
            : 'make it fire once (a timeDuration or R1 cycle), or let its path end without waiting'),
      );
    }
  }

  /**
   * Two message (or signal) events that wait for one name on one scope — two start events of the
   * process, two boundary events of one activity, two event sub-processes of one scope — are refused, as
   * Camunda's parser refuses them (`MessageBoundaryEventTest.testDoubleBoundaryMessageEventSameMessageId`,
   * `MessageStartEventTest.testSameMessageNameInSameProcessFails`): a start by that message took one
   * of the start events silently, a message to the instance was ambiguous.
   */
  private checkSubscriptionNames(processId: string): void {
    const byId = new Map(this.elements.map((e) => [e.id, e] as const));
    const seen = new Map<string, string>();
    for (const e of this.elements) {
      const kind = e.eventDefinition?.kind;
      const name = e.eventDefinition?.refName ?? e.eventDefinition?.ref;
      if ((kind !== 'message' && kind !== 'signal') || name === undefined) continue;
      const scope =
        e.kind === 'boundaryEvent'
          ? e.attachedTo
          : e.kind !== 'startEvent'
            ? undefined
            : e.parentId === processId
              ? processId
              : byId.get(e.parentId)?.triggeredByEvent
                ? byId.get(e.parentId)!.parentId
                : undefined;
      if (scope === undefined) continue;
      const key = `${scope}\u0000${kind}\u0000${name}`;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, e.id);
      else
        this.issue(
          e.id,
          this.ids.get(e.id)?.name ?? '',
          `<${first}> waits for the ${kind} '${name}' on the same scope (<${scope}>): Camunda refuses two ${kind} events of one name on one scope, and a ${kind} would reach one of them; give them different names`,
        );
    }
  }

  /**
   * A link throw and the catch it goes on at, as a flow for the walks over the graph: two throws of
   * one name in parallel branches bring two tokens to the catch (Camunda's
   * `LinkEventTest.testEventLinkMultipleSources`: two tokens wait after it), where bpmn-engine ran it once.
   */
  private linkFlows(): FlowModel[] {
    return this.links
      .filter((l) => l.throwing)
      .flatMap((t) =>
        this.links
          .filter((c) => !c.throwing && c.scopeId === t.scopeId && c.name === t.name)
          .map((c) => ({
            id: `${t.id}->${c.id}`,
            sourceRef: t.id,
            targetRef: c.id,
            isDefault: false,
            generatedId: true,
          })),
      );
  }

  private checkEventSubProcessTimers(processId: string): void {
    const byId = new Map(this.elements.map((e) => [e.id, e] as const));
    for (const start of this.elements) {
      if (start.kind !== 'startEvent' || start.eventDefinition?.kind !== 'timer') continue;
      const esp = byId.get(start.parentId);
      if (!esp?.triggeredByEvent) continue;
      for (let scopeId = esp.parentId; scopeId !== processId;) {
        const scope = byId.get(scopeId);
        if (!scope) break;
        if (scope.multiInstance || scope.triggeredByEvent) {
          this.issue(
            start.id,
            this.ids.get(start.id)?.name ?? '',
            `a timer event sub-process inside ${scope.multiInstance ? 'a multi-instance sub-process' : 'an event sub-process'} (<${scope.id}>) is not supported`,
          );
          break;
        }
        scopeId = scope.parentId;
      }
    }
  }

  /**
   * An event sub-process without an id (Flowable's TimerEventSubprocessTest.testInterruptingSubProcess):
   * no flow can name it, so, as for a sequence flow, it gets one, from its scope and its start event
   * (the same on every compile of the stored version). Any other flow node without an id is refused.
   */
  private eventSubProcessId(el: XmlElement, scopeId: string): string | undefined {
    if (el.local !== 'subProcess' || attr(el, 'triggeredByEvent') !== 'true') return undefined;
    const start = childElements(el).find((c) => c.ns === NS.bpmn && c.local === 'startEvent');
    const base = `EventSubProcess_${scopeId}_${(start && attr(start, 'id')) ?? 'x'}`;
    let id = base;
    for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
    this.ids.set(id, el);
    el.attributes.push(plainAttribute('id', id));
    this.warn(`an event sub-process without id in ${scopeId} was given the id ${id}`);
    return id;
  }

  private sequenceFlow(el: XmlElement, scopeId: string, index: number): void {
    let id = attr(el, 'id');
    const sourceRef = attr(el, 'sourceRef');
    const targetRef = attr(el, 'targetRef');
    let generatedId = false;
    if (!id) {
      const base = `Flow_${sourceRef ?? 'x'}_${targetRef ?? 'x'}`;
      id = base;
      for (let n = 2; this.ids.has(id); n++) id = `${base}_${n}`;
      this.ids.set(id, el);
      el.attributes.push(plainAttribute('id', id));
      generatedId = true;
      this.warn(`a sequence flow without id (#${index} in ${scopeId}) was given the id ${id}`);
    }
    if (!sourceRef || !targetRef) {
      this.issue(id, el.name, 'sequence flow needs sourceRef and targetRef');
      return;
    }
    this.flowScopes.set(id, scopeId);
    this.checkListeners(el, id, 'sequenceFlow');

    let condition: string | undefined;
    const conditionEl = childElements(el).find((c) => c.ns === NS.bpmn && c.local === 'conditionExpression');
    if (conditionEl) {
      const language = (attr(conditionEl, 'language') ?? '').trim();
      const body = textOf(conditionEl).trim();
      if (attr(conditionEl, 'resource', NS.camunda) || attr(conditionEl, 'resource')) {
        this.issue(id, el.name, 'conditions loaded from a resource are not allowed');
      } else if (language) {
        this.issue(
          id,
          el.name,
          `condition language "${language}" is not allowed; write the condition as an expression \${...} or =FEEL`,
        );
      } else if (body) {
        condition = body;
        this.checkExpression(id, 'condition', body);
        this.site(id, 'condition', body, { type: 'flowCondition', flowId: id });
      }
      removeAttribute(conditionEl, 'language');
      if (!body) el.children = el.children.filter((c) => c !== conditionEl);
    }
    const name = attr(el, 'name');
    this.flows.push({
      id,
      sourceRef,
      targetRef,
      isDefault: false,
      generatedId,
      ...(name && { name }),
      ...(condition && { condition }),
    });
    this.checkRemainingAttributes(el, id, new Set());
  }

  // ------------------------------------------------------------------ listeners, vendor data

  private checkListeners(el: XmlElement, id: string, kind: string): ListenerModel[] {
    const result: ListenerModel[] = [];
    for (const ext of this.vendorExtensions(el)) {
      const local = ext.local;
      if (local === 'script' || findDeepVendor(ext, 'script', this)) {
        this.issue(id, el.name, `<${ext.name}> contains a script, which is not allowed`);
        continue;
      }
      if (local === 'executionListener' || local === 'taskListener' || local === 'eventListener') {
        const bound = HOST_CODE_ATTRIBUTES.map((k) => [k, attr(ext, k)] as const).find(
          ([, v]) => v !== undefined,
        );
        const event = attr(ext, 'event') ?? attr(ext, 'events');
        if (!bound) {
          this.issue(id, el.name, `<${ext.name}> has no supported implementation`);
          continue;
        }
        const [key, value] = bound;
        const listenerKind = local === 'taskListener' ? 'task' : 'execution';
        const handler = this.options.handlers?.[value!];
        if (handler) {
          result.push({ kind: listenerKind, ...(event && { event }), handler });
          continue;
        }
        const name = listenerName(key, value!);
        const action = name !== undefined ? this.options.listeners?.[name] : undefined;
        if (action === undefined || local === 'eventListener') {
          this.issue(
            id,
            el.name,
            `${local} ${key}="${value}" on ${kind} binds host code, which is not allowed` +
              (name !== undefined && local !== 'eventListener'
                ? ` (an operator may map the listener "${name}" to ignore or publish)`
                : ''),
          );
          continue;
        }
        if (action === 'ignore') continue;
        const allowed =
          listenerKind === 'task'
            ? kind === 'userTask'
              ? PUBLISHED_EVENTS.task
              : []
            : kind === 'sequenceFlow'
              ? []
              : PUBLISHED_EVENTS.execution;
        if (!event || !allowed.includes(event)) {
          this.issue(
            id,
            el.name,
            `${local} "${name}" on ${kind} is mapped to publish, which needs event ` +
              (allowed.length > 0 ? allowed.map((e) => `"${e}"`).join(' or ') : 'support on this element') +
              (event ? `, not "${event}"` : ''),
          );
          continue;
        }
        result.push({ kind: listenerKind, event, handler: name!, publish: true });
        continue;
      }
      // on a call activity they map variables to and from the child; on an event (Flowable's signal and
      // message payloads) they would be dropped, leaving the receiving instance without them
      if ((local === 'in' || local === 'out') && kind !== 'callActivity') {
        this.issue(id, el.name, `<${ext.name}> on a ${kind} (event payload mapping) is not supported`);
        continue;
      }
      if (local === 'inputOutput') {
        this.issue(id, el.name, `<${ext.name}> input/output mappings are not supported`);
        continue;
      }
      if (local === 'connector') {
        this.issue(id, el.name, 'connectors (camunda:connector) are not supported');
        continue;
      }
      if (
        [
          'in',
          'out',
          'properties',
          'property',
          'formData',
          'formField',
          'formProperty',
          'failedJobRetryTimeCycle',
          'field',
          'value',
          'validation',
          'constraint',
        ].includes(local)
      ) {
        continue;
      }
      this.warn(`${id}: vendor extension <${ext.name}> is ignored`);
    }
    return result;
  }

  /** Vendor elements inside the element's extensionElements. */
  private vendorExtensions(el: XmlElement): XmlElement[] {
    const result: XmlElement[] = [];
    for (const child of childElements(el)) {
      if (child.ns !== NS.bpmn || child.local !== 'extensionElements') continue;
      for (const ext of childElements(child)) {
        const vendor = this.vendorOf(ext);
        if (vendor) {
          this.vendors.add(vendor);
          result.push(ext);
        }
      }
    }
    return result;
  }

  /**
   * Flowable (and Activiti) turn each data object of a process with a `<flowable:value>` into a process
   * variable named by its `name`, typed by its itemSubjectRef, set when an instance starts (explicit
   * start variables win). One inside a sub-process is a local variable of each sub-process run there,
   * which is not supported: refused rather than run without it.
   */
  private dataObject(el: XmlElement, scopeKind: 'process' | 'subProcess' | 'eventSubProcess'): void {
    const id = attr(el, 'id') ?? '';
    const valueEl = this.vendorExtensions(el).find((e) => e.local === 'value');
    if (!valueEl) return;
    if (scopeKind !== 'process') {
      this.issue(id, el.name, 'a data object with a value inside a sub-process is not supported');
      return;
    }
    const name = attr(el, 'name') ?? id;
    if (!IDENTIFIER.test(name) || name === '__proto__') {
      this.issue(id, el.name, `'${name}' is not a valid variable name`);
      return;
    }
    const text = textOf(valueEl).trim();
    const type = (attr(el, 'itemSubjectRef') ?? 'xsd:string').replace(/^.*:/, '').toLowerCase();
    let value: string | number | boolean = text;
    if (type === 'boolean') value = text === 'true';
    else if (['int', 'integer', 'long', 'double', 'float', 'short'].includes(type)) {
      value = Number(text);
      if (text === '' || !Number.isFinite(value)) {
        this.issue(id, el.name, `the value '${text}' is not a number (${attr(el, 'itemSubjectRef')})`);
        return;
      }
    }
    this.dataObjects[name] = value;
  }

  /**
   * An error referenced but not declared is the error code itself (Camunda's BpmnParse, Flowable's
   * converter): declared for bpmn-engine, which resolves errorRef to an element, with that code.
   */
  private declareError(ref: string): void {
    const root = this.root!;
    const name = root.prefix ? `${root.prefix}:error` : 'error';
    root.children.push({
      type: 'element',
      name,
      prefix: root.prefix,
      local: 'error',
      ns: NS.bpmn,
      attributes: [plainAttribute('id', ref), plainAttribute('errorCode', ref)],
      children: [],
      offset: root.offset,
    });
    this.errors.set(ref, ref);
  }

  vendorOf(el: { ns: string }): Vendor | undefined {
    if (el.ns === NS.camunda) return 'camunda';
    if (el.ns === NS.flowable) return 'flowable';
    if (el.ns === NS.activiti) return 'activiti';
    return undefined;
  }

  /** Value of a camunda:/flowable:/activiti: attribute (whatever prefix the document uses). */
  private vendorAttr(el: XmlElement, local: string, consumed?: Set<string>): string | undefined {
    let found: string | undefined;
    for (const a of el.attributes) {
      if (a.local !== local) continue;
      const vendor = this.vendorOf(a);
      if (!vendor) continue;
      this.vendors.add(vendor);
      consumed?.add(a.name);
      if (found !== undefined && found !== a.value)
        this.warn(`${attr(el, 'id') ?? el.name}: conflicting vendor values for ${local}; '${found}' is used`);
      found ??= a.value;
    }
    return found;
  }

  /** Vendor attributes that bind host code are refused; any other attribute expression must parse. */
  private checkRemainingAttributes(el: XmlElement, id: string, consumed: Set<string>): void {
    for (const a of el.attributes) {
      if (consumed.has(a.name) || a.ns === XMLNS_NS) continue;
      const vendor = this.vendorOf(a);
      if (vendor) {
        this.vendors.add(vendor);
        if (
          (HOST_CODE_ATTRIBUTES as readonly string[]).includes(a.local) ||
          a.local === 'resultVariable' ||
          a.local === 'scriptFormat' ||
          a.local === 'resource'
        ) {
          this.issue(
            id,
            el.name,
            `${a.name}="${a.value}" binds the element to host code, which is not allowed`,
          );
          continue;
        }
      }
      if (a.local === 'scriptFormat' && !vendor) {
        this.issue(id, el.name, 'scriptFormat is not allowed');
        continue;
      }
      if (/[$#]\{/.test(a.value) && a.local !== 'calledElement') this.checkTemplate(id, a.name, a.value);
    }
  }

  /** Formal expressions are JUEL / FEEL only: any language attribute means a script. */
  private checkLanguage(el: XmlElement, id: string, what: string): void {
    const language = (attr(el, 'language') ?? '').trim();
    if (language)
      this.issue(
        id,
        el.name,
        `${what} language "${language}" is not allowed; use an expression \${...} or =FEEL`,
      );
    removeAttribute(el, 'language');
  }

  private checkExpression(elementId: string, what: string, source: string): void {
    this.expressions.add(source);
    const check = validateExpression(source);
    if (!check.ok)
      this.issue(
        elementId,
        this.ids.get(elementId)?.name ?? '',
        `${what} expression '${shorten(source)}' refused: ${check.reason}`,
      );
  }

  private checkTemplate(elementId: string, what: string, source: string): void {
    if (!/[$#]\{/.test(source)) return;
    this.checkExpression(elementId, what, source);
  }

  private site(elementId: string, role: SiteRole, source: string, target: SiteTarget): void {
    this.sites.push({ elementId, role, source, literal: false, target });
  }

  // ------------------------------------------------------------------ references & ids

  private collectIds(root: XmlElement): void {
    const visit = (el: XmlElement, inDiagram: boolean, owner: XmlElement): void => {
      const diagram = inDiagram || el.ns === NS.bpmndi;
      const id = attr(el, 'id');
      if (id && !diagram && el.ns === NS.bpmn) {
        if (this.ids.has(id)) this.issue(id, el.name, `duplicate id '${id}'`);
        else this.ids.set(id, el);
      }
      const bpmnOwner = el.ns === NS.bpmn && id ? el : owner;
      if (!diagram) this.checkForeignEngineData(el, bpmnOwner);
      for (const c of childElements(el)) visit(c, diagram, bpmnOwner);
    };
    visit(root, false, root);
  }

  /**
   * Another engine's execution data (Camunda 8's zeebe:, a camunda: or activiti: prefix bound to a URI
   * that is not the one they read) would be dropped, and the element run without it (a task without
   * its assignee): refused, naming the element that carries it.
   */
  private checkForeignEngineData(el: XmlElement, owner: XmlElement): void {
    const names = [el, ...el.attributes].filter((n) => isForeignEngineNamespace(n.ns)).map((n) => n.name);
    if (names.length === 0) return;
    const namespaces = [...new Set([el, ...el.attributes].map((n) => n.ns).filter(isForeignEngineNamespace))];
    this.issue(
      attr(owner, 'id') ?? '',
      owner.name,
      `${names.join(', ')} (namespace ${namespaces.join(', ')}) belongs to another engine and would be ignored; ` +
        `Flowdesk reads ${NS.camunda}, ${NS.flowable} and ${NS.activiti}`,
    );
  }

  private checkReferences(): void {
    const flowsById = new Map(this.flows.map((f) => [f.id, f] as const));
    for (const f of this.flows) {
      const scope = this.flowScopes.get(f.id);
      for (const [end, ref] of [
        ['sourceRef', f.sourceRef],
        ['targetRef', f.targetRef],
      ] as const) {
        const refScope = this.nodeScopes.get(ref);
        if (refScope === undefined)
          this.issue(
            f.id,
            this.ids.get(f.id)?.name ?? 'sequenceFlow',
            `${end} '${ref}' is not a flow node of this process`,
          );
        else if (refScope !== scope)
          this.issue(
            f.id,
            this.ids.get(f.id)?.name ?? 'sequenceFlow',
            `${end} '${ref}' is in another (sub-)process`,
          );
      }
    }
    for (const { owner, flow } of this.defaultRefs) {
      const f = flowsById.get(flow);
      if (!f) this.issue(owner, this.ids.get(owner)?.name ?? '', `default flow '${flow}' does not exist`);
      else if (f.sourceRef !== owner)
        this.issue(
          owner,
          this.ids.get(owner)?.name ?? '',
          `default flow '${flow}' does not leave this element`,
        );
      else (f as { isDefault: boolean }).isDefault = true;
    }
    for (const { id, attachedTo } of this.boundaryRefs) {
      const target = this.elements.find((e) => e.id === attachedTo);
      // a refused activity (a transaction, a script task) is named for that already
      if (!target && !this.issues.some((i) => i.elementId === attachedTo))
        this.issue(
          id,
          this.ids.get(id)?.name ?? 'boundaryEvent',
          `attachedToRef '${attachedTo}' is not an activity of this process`,
        );
    }
    for (const { id, kind, ref } of this.eventRefs) {
      if (kind === 'error' && !this.errors.has(ref) && !this.ids.has(ref)) this.declareError(ref);
      // here every signal is a broadcast: a scoped one would reach the other instances too
      if (kind === 'signal' && this.scopedSignals.has(ref))
        this.issue(
          id,
          this.ids.get(id)?.name ?? '',
          `signal '${ref}' has a scope other than global (flowable:scope), which is not supported: every signal is a broadcast here`,
        );
      const known =
        kind === 'message'
          ? this.messages.has(ref)
          : kind === 'signal'
            ? this.signals.has(ref)
            : kind === 'error'
              ? this.errors.has(ref)
              : this.escalations.has(ref);
      if (!known)
        this.issue(
          id,
          this.ids.get(id)?.name ?? '',
          `${kind}Ref '${ref}' does not name a <${kind}> of this document`,
        );
      // Camunda resolves an expression in a message or signal name for each instance; bpmn-engine
      // would wait for (or throw) the literal text, which nothing sends (deploys only, as checkConcurrency)
      const name =
        kind === 'message' ? this.messages.get(ref) : kind === 'signal' ? this.signals.get(ref) : undefined;
      if (name !== undefined && hasExpression(name) && !this.options.stored)
        this.issue(
          id,
          this.ids.get(id)?.name ?? '',
          `the ${kind} name '${name}' is an expression: names are fixed here (the instance would wait for the literal text); use a fixed name and tell instances apart with the business key or correlationKeys`,
        );
    }
    if (!this.options.stored) {
      this.checkLinks();
      this.checkUnreached();
    }
  }

  /**
   * A flow node no sequence flow leads to (a task left over in the diagram): Camunda and Flowable start
   * an instance at its start event only, so it never runs; bpmn-engine starts every such element beside
   * the start event (an extra task, a timer, an instance that does not end with its path). Refused,
   * except what is entered otherwise: start and boundary events, event sub-processes, link catches; and
   * a none end event, which changes nothing. Deploys only, as checkLinks.
   */
  private checkUnreached(): void {
    const reached = new Set(this.flows.map((f) => f.targetRef));
    for (const e of this.elements) {
      if (reached.has(e.id) || e.triggeredByEvent) continue;
      if (e.kind === 'startEvent' || e.kind === 'boundaryEvent') continue;
      if (e.kind === 'intermediateCatchEvent' && e.eventDefinition?.kind === 'link') continue;
      if (e.kind === 'endEvent' && !e.eventDefinition) continue;
      this.issue(
        e.id,
        this.ids.get(e.id)?.name ?? '',
        'no sequence flow leads here: Camunda and Flowable never run it, bpmn-engine would start it beside the start event; connect it or remove it',
      );
    }
  }

  /**
   * A link throw goes on at the one link catch of the same name in its own (sub-)process (BPMN 2.0:
   * links stay within one process level; Camunda refuses the rest at deploy). Deploys only: a stored
   * version runs on as it did. bpmn-elements ended the
   * path at a throw without its catch, went on at a catch in another scope, and at every catch of the name.
   */
  private checkLinks(): void {
    const catches = new Map<string, string[]>();
    for (const link of this.links)
      if (!link.throwing) {
        const key = `${link.scopeId}\u0000${link.name}`;
        catches.set(key, [...(catches.get(key) ?? []), link.id]);
      }
    for (const ids of catches.values())
      for (const id of ids.slice(1))
        this.issue(
          id,
          this.ids.get(id)?.name ?? 'intermediateCatchEvent',
          `several link catch events with one name in this (sub-)process (${ids.map((i) => `<${i}>`).join(', ')}): a link throw goes to one`,
        );
    for (const link of this.links)
      if (link.throwing && !catches.has(`${link.scopeId}\u0000${link.name}`))
        this.issue(
          link.id,
          this.ids.get(link.id)?.name ?? 'intermediateThrowEvent',
          `no link catch event named '${link.name}' in the same (sub-)process: a link goes on within its own process level`,
        );
  }

  // ------------------------------------------------------------------ rewriting for the engine

  /** Drops DI, documentation, extension elements, comments and every non-BPMN attribute. */
  private stripForeign(el: XmlElement): void {
    this.stripForeignAttributes(el);
    el.children = el.children.filter((c) => {
      if (c.type === 'comment') return false;
      if (c.type !== 'element') return true;
      if (c.ns !== NS.bpmn) return false;
      return c.local !== 'documentation' && c.local !== 'extensionElements';
    });
    for (const c of childElements(el)) this.stripForeign(c);
  }

  private stripForeignAttributes(el: XmlElement): void {
    el.attributes = el.attributes.filter(
      (a) => a.ns === '' || a.ns === NS.xsi || a.ns === XMLNS_NS || a.ns === NS.bpmn,
    );
  }

  private issue(elementId: string, elementType: string, reason: string): void {
    this.issues.push({ elementId, elementType, reason });
  }

  private warn(message: string): void {
    if (this.warnings.length < 200) this.warnings.push(message);
  }
}

const READ_NAMESPACES = new Set<string>(Object.values(NS));
/** A modeler's bookkeeping (Camunda's `executionPlatform`, Flowable's `activiti-idm-initiator`): no execution semantics. */
const MODELER_NS = /\/modeler\b/i;

function isForeignEngineNamespace(ns: string): boolean {
  if (!ns || READ_NAMESPACES.has(ns) || MODELER_NS.test(ns)) return false;
  return /\b(camunda|activiti|flowable|zeebe|jbpm)\b/i.test(ns);
}

function findDeep(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of childElements(el)) {
    if (c.local === local) return c;
    const found = findDeep(c, local);
    if (found) return found;
  }
  return undefined;
}

function findDeepVendor(
  el: XmlElement,
  local: string,
  analyzer: { vendorOf(el: { ns: string }): Vendor | undefined },
): boolean {
  for (const c of childElements(el)) {
    if (c.local === local && analyzer.vendorOf(c)) return true;
    if (findDeepVendor(c, local, analyzer)) return true;
  }
  return false;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

function splitList(value: string | undefined): string[] {
  if (!value) return [];
  // commas inside ${...} belong to the expression
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if ((c === '$' || c === '#') && value[i + 1] === '{') depth++;
    if (c === '}' && depth > 0) depth--;
    if (c === ',' && depth === 0) {
      if (current.trim()) out.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function toRefs(map: Map<string, string>): NamedRef[] {
  return [...map].map(([id, name]) => ({ id, name }));
}

function rename(el: XmlElement, local: string): void {
  el.name = el.prefix ? `${el.prefix}:${local}` : local;
  el.local = local;
}

function plainAttribute(name: string, value: string): XmlAttribute {
  return { name, prefix: '', local: name, ns: '', value };
}

function setAttribute(el: XmlElement, name: string, value: string): void {
  const existing = el.attributes.find((a) => a.name === name);
  if (existing) existing.value = value;
  else el.attributes.push(plainAttribute(name, value));
}

function removeAttribute(el: XmlElement, name: string): void {
  el.attributes = el.attributes.filter((a) => a.name !== name);
}

function shorten(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
