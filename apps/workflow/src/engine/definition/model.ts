import type { TimerKind } from './iso8601';

export const NS = {
  bpmn: 'http://www.omg.org/spec/BPMN/20100524/MODEL',
  bpmndi: 'http://www.omg.org/spec/BPMN/20100524/DI',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  camunda: 'http://camunda.org/schema/1.0/bpmn',
  flowable: 'http://flowable.org/bpmn',
  activiti: 'http://activiti.org/bpmn',
} as const;

/** Vendor namespaces whose attributes and extension elements are read into one model. */
export type Vendor = 'camunda' | 'flowable' | 'activiti';
export const VENDORS: readonly Vendor[] = ['camunda', 'flowable', 'activiti'];

export type ElementKind =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'userTask'
  | 'manualTask'
  | 'task'
  | 'receiveTask'
  | 'serviceTask'
  | 'sendTask'
  | 'callActivity'
  | 'subProcess'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway';

export type EventDefinitionKind =
  'timer' | 'message' | 'signal' | 'error' | 'escalation' | 'terminate' | 'link';

export interface TimerModel {
  readonly kind: TimerKind;
  /** The value as written: an ISO 8601 text or an expression. */
  readonly value: string;
  readonly isExpression: boolean;
}

export interface EventDefinitionModel {
  readonly kind: EventDefinitionKind;
  readonly timer?: TimerModel;
  /** Referenced message / signal / error / escalation element id. */
  readonly ref?: string;
  /** Name of the referenced message / signal (what commands use). */
  readonly refName?: string;
  /** Error events: the referenced error's errorCode (catch-all when absent). */
  readonly code?: string;
  /** Error catch events (camunda:/flowable:): variables that receive the caught code and message. */
  readonly errorCodeVariable?: string;
  readonly errorMessageVariable?: string;
}

/** Assignment and form attributes of a user task, read from camunda:, flowable: or activiti:. */
export interface UserTaskModel {
  /** Expression or literal, e.g. `${initiator}` or `kermit`. */
  readonly assignee?: string;
  /** Items of the comma-separated list; each may be an expression yielding a list or a CSV string. */
  readonly candidateUsers: readonly string[];
  readonly candidateGroups: readonly string[];
  readonly formKey?: string;
  /** Expression, ISO 8601 date-time or ISO 8601 duration (from the moment the task is created). */
  readonly dueDate?: string;
  readonly followUpDate?: string;
  readonly priority?: string;
  readonly category?: string;
}

export interface MultiInstanceModel {
  readonly isSequential: boolean;
  /** Expression yielding the collection (a bare variable name is turned into `${name}`). */
  readonly collection?: string;
  /** When the collection was given as a bare process-variable name (loopDataInputRef, collection="x"). */
  readonly collectionVariable?: string;
  /** Variable holding the current item (elementVariable / inputDataItem name). */
  readonly elementVariable?: string;
  readonly loopCardinality?: string;
  readonly completionCondition?: string;
}

export interface VariableMapping {
  readonly source?: string;
  readonly sourceExpression?: string;
  readonly target?: string;
  /** `variables="all"`: copy every variable. */
  readonly all?: boolean;
  readonly local?: boolean;
}

export interface CallActivityModel {
  /** Process key of the called process (may be an expression). */
  readonly calledElement: string;
  /** camunda:calledElementBinding (latest | deployment | version | versionTag); latest when absent. */
  readonly binding: string;
  readonly version?: string;
  readonly inputs: readonly VariableMapping[];
  readonly outputs: readonly VariableMapping[];
  /** Expression for the child's business key (camunda:in businessKey=...). */
  readonly businessKey?: string;
  /** flowable:inheritVariables="true": pass every variable in. */
  readonly inheritVariables: boolean;
}

export interface ListenerModel {
  readonly kind: 'execution' | 'task';
  readonly event?: string;
  /** The allow-listed handler name the original class / delegateExpression / expression maps to. */
  readonly handler: string;
  /**
   * The operator mapped this named listener to "publish" (AnalyzeOptions.listeners): the host
   * publishes an event each time it would run (execution start/end, task create/complete/delete).
   */
  readonly publish?: boolean;
}

export interface ElementModel {
  readonly id: string;
  readonly kind: ElementKind;
  readonly name?: string;
  /** Id of the process or sub-process that contains the element. */
  readonly parentId: string;
  readonly eventDefinition?: EventDefinitionModel;
  readonly attachedTo?: string;
  /** Boundary events: cancelActivity; event sub-process start events: isInterrupting (default true). */
  readonly cancelActivity?: boolean;
  readonly triggeredByEvent?: boolean;
  readonly userTask?: UserTaskModel;
  readonly multiInstance?: MultiInstanceModel;
  readonly callActivity?: CallActivityModel;
  /** For service/send tasks modelled as external work: the topic a worker subscribes to. */
  readonly externalTopic?: string;
  /** Start events: variable that receives the starting user's id. */
  readonly initiator?: string;
  readonly formKey?: string;
  readonly defaultFlow?: string;
  readonly listeners?: readonly ListenerModel[];
}

export interface FlowModel {
  readonly id: string;
  readonly name?: string;
  readonly sourceRef: string;
  readonly targetRef: string;
  readonly condition?: string;
  readonly isDefault: boolean;
  /** The document had no id for this flow; `id` was assigned deterministically. */
  readonly generatedId: boolean;
}

export interface ProcessModel {
  readonly id: string;
  readonly name?: string;
  readonly startEventId: string;
  readonly elements: readonly ElementModel[];
  readonly flows: readonly FlowModel[];
  readonly candidateStarterUsers: readonly string[];
  readonly candidateStarterGroups: readonly string[];
  /** Execution listeners on the process itself (start / end of the instance). */
  readonly listeners?: readonly ListenerModel[];
  /** Variables of valued data objects (Flowable `<flowable:value>`), set at every start. */
  readonly dataObjects?: Readonly<Record<string, string | number | boolean>>;
}

export interface NamedRef {
  readonly id: string;
  readonly name: string;
}

/** Everything the engine and the durable layer need to know about one deployed BPMN document. */
export interface DefinitionModel {
  readonly definitionsId: string;
  readonly targetNamespace?: string;
  /** Vendor namespaces actually used by the document. */
  readonly vendors: readonly Vendor[];
  /** The one executable process. */
  readonly process: ProcessModel;
  readonly messages: readonly NamedRef[];
  readonly signals: readonly NamedRef[];
  /** Things that were tolerated or ignored (e.g. unknown vendor attributes). */
  readonly warnings: readonly string[];
}
