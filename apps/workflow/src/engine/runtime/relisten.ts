import type { CompiledDefinition } from '../definition/compile';

interface EndMessage {
  readonly content: { readonly inbound?: readonly unknown[] };
}

/** A bpmn-elements activity, as an extension receives it. */
interface BoundaryActivity {
  readonly id: string;
  readonly broker: {
    subscribeTmp(
      exchange: string,
      pattern: string,
      handler: (routingKey: string, message: EndMessage) => void,
      options: object,
    ): void;
    getQueue(name: string): { queueMessage(fields: object, content: unknown): void } | undefined;
  };
}

/**
 * bpmn-engine `extensions` entry: a non-interrupting message or signal boundary event keeps listening
 * while its activity runs, as in Camunda 7 (MessageBoundaryEventTest: every correlation to it starts a
 * path of its own) and Flowable. bpmn-elements completes it at its first event and never runs it
 * again (only a timer cycle re-arms itself), so a second correlation found nothing waiting and a second
 * signal was dropped. As it ends, it is queued again with its activity's enter as inbound: the re-run
 * bpmn-elements gives a repeating timer (`activity.restart`), which starts once it has left and which the
 * saved state carries like any run. Its activity leaving discards the re-run, as it did the first.
 */
export function relistenNonInterrupting(definition: CompiledDefinition) {
  return (activity: BoundaryActivity): undefined => {
    const element = definition.elementsById.get(activity.id);
    const kind = element?.eventDefinition?.kind;
    if (element?.kind !== 'boundaryEvent' || element.cancelActivity !== false) return undefined;
    if (kind !== 'message' && kind !== 'signal') return undefined;
    const broker = activity.broker;
    broker.subscribeTmp(
      'event',
      'activity.end',
      (_, message) => {
        const host = message.content.inbound?.[0];
        if (host) broker.getQueue('inbound-q')?.queueMessage({ routingKey: 'activity.restart' }, host);
      },
      { noAck: true, consumerTag: '_flowdesk-relisten' },
    );
    return undefined;
  };
}
