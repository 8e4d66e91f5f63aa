import type { CompiledDefinition } from '../definition/compile';

interface ThrowContent {
  readonly executionId?: string;
  readonly parent?: {
    readonly executionId?: string;
    readonly path?: ReadonlyArray<{ readonly executionId?: string }>;
  };
}

interface ApiMessage {
  readonly content: ThrowContent;
  readonly properties: { readonly delegate?: boolean };
}

interface Broker {
  getExchange(
    name: string,
  ): { readonly bindings: ReadonlyArray<{ pattern: string; queue: { name: string } }> } | undefined;
  unbindQueue(queue: string, exchange: string, pattern: string): void;
  subscribeTmp(
    exchange: string,
    pattern: string,
    handler: (routingKey: string, message: ApiMessage) => void,
    options: object,
  ): void;
  sendToQueue(queue: string, content: unknown, properties: object): void;
}

/** A bpmn-elements activity, as an extension receives it. */
interface BoundaryActivity {
  readonly id: string;
  readonly broker: Broker;
  readonly status?: string;
  readonly attachedTo?: { readonly executionId?: string };
}

/**
 * bpmn-engine `extensions` entry: an error or escalation boundary event catches only what is thrown
 * inside the activity it is attached to (BPMN 2.0 §10.5.6: the error propagates up the scopes of the
 * thrower). bpmn-elements hands a thrown error or escalation, on its way up, to every boundary event
 * of every scope it passes, and a sub-process's executions share one broker, so a throw in one
 * iteration of a multi-instance sub-process reached the boundary events of every iteration, and a throw
 * in one branch the boundary event of a sibling sub-process (each interrupting its host and running its
 * handler). It also queued the throw at a boundary event that was not running, which caught it when its
 * host started later. The boundary event's `*.throw.#` / `*.escalate.#` queue is fed through this
 * filter instead: a delegated throw passes only while the boundary event runs and its host's execution
 * (a multi-instance body's, or one of its iterations') is on the thrower's path.
 * Cost: one look-up per activity built; per delegated throw, a walk of the thrower's path per boundary event.
 */
export function scopedBoundaryCatches(definition: CompiledDefinition) {
  return (activity: BoundaryActivity): undefined => {
    const element = definition.elementsById.get(activity.id);
    if (element?.kind !== 'boundaryEvent') return undefined;
    const kind = element.eventDefinition?.kind;
    const pattern = kind === 'error' ? '*.throw.#' : kind === 'escalation' ? '*.escalate.#' : undefined;
    if (!pattern) return undefined;
    const broker = activity.broker;
    const queue = broker.getExchange('api')?.bindings.find((b) => b.pattern === pattern)?.queue.name;
    if (!queue) return undefined;
    broker.unbindQueue(queue, 'api', pattern);
    broker.subscribeTmp(
      'api',
      pattern,
      (_, message) => {
        if (message.properties.delegate && !thrownInside(activity, message.content)) return;
        broker.sendToQueue(queue, message.content, message.properties);
      },
      { noAck: true, consumerTag: '_flowdesk-scoped-catch', priority: 300 },
    );
    return undefined;
  };
}

function thrownInside(boundary: BoundaryActivity, thrown: ThrowContent): boolean {
  const host = boundary.attachedTo?.executionId;
  if (!boundary.status || !host) return false;
  const iteration = `${host}_`;
  const onPath = (executionId: string | undefined): boolean =>
    executionId !== undefined && (executionId === host || executionId.startsWith(iteration));
  return (
    onPath(thrown.executionId) ||
    onPath(thrown.parent?.executionId) ||
    (thrown.parent?.path ?? []).some((scope) => onPath(scope.executionId))
  );
}

/** A link catch event, as an extension receives it. */
interface LinkCatchActivity {
  readonly id: string;
  readonly broker: Broker & {
    subscribeTmp(
      exchange: string,
      pattern: string,
      handler: (routingKey: string, message: { content: ThrowContent }) => void,
      options: object,
    ): void;
  };
  readonly status?: string;
}

/**
 * bpmn-engine `extensions` entry: a link throw event continues at the link catch event of its own
 * scope run (BPMN 2.0 §10.5.6: a link pair lives within one process level). The iterations of a
 * multi-instance sub-process share one broker, and bpmn-elements hands a link thrown in one iteration
 * to the link catch events of every iteration: each went on from its catch at once (its task after
 * the link opened before the task before the link was done) and the later throws of the other
 * iterations found their catches used up. A running catch takes only links thrown in its scope run
 * (known from its wait, as its process execution names it on the way up); one that does not run keeps
 * bpmn-elements' queueing.
 */
export function scopedLinkCatches(definition: CompiledDefinition) {
  return (activity: LinkCatchActivity): undefined => {
    const element = definition.elementsById.get(activity.id);
    if (element?.kind !== 'intermediateCatchEvent' || element.eventDefinition?.kind !== 'link')
      return undefined;
    const pattern = '*.link.#';
    const broker = activity.broker;
    const queue = broker.getExchange('api')?.bindings.find((b) => b.pattern === pattern)?.queue.name;
    if (!queue) return undefined;
    let scope: string | undefined;
    broker.subscribeTmp(
      'event',
      'activity.wait',
      (_, message) => {
        scope = message.content.parent?.executionId;
      },
      { noAck: true, consumerTag: '_flowdesk-link-scope', priority: -100 },
    );
    broker.unbindQueue(queue, 'api', pattern);
    broker.subscribeTmp(
      'api',
      pattern,
      (_, message) => {
        if (activity.status && scope && message.content.parent?.executionId !== scope) return;
        broker.sendToQueue(queue, message.content, message.properties);
      },
      { noAck: true, consumerTag: '_flowdesk-scoped-link', priority: 300 },
    );
    return undefined;
  };
}
