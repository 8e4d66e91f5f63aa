import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { WorkflowEvent, WorkflowEventTopic } from '@app/contracts';
import type { EventBatch } from '../../workflow-events/event-batch';
import type { WorkflowEventHandler } from '../../workflow-events/workflow-event.handler';
import { BUILT_IN_TOPICS } from './webhook.dto';
import { activeSubscriptions, enqueueDeliveries } from './webhook-queue';

/**
 * Every workflow event becomes a delivery for each subscription of its topic (same transaction as its
 * de-duplication). The subscriptions are read once per delivered batch.
 */
@Injectable()
export class WebhookEventHandler implements WorkflowEventHandler {
  readonly topics = Object.keys(BUILT_IN_TOPICS) as WorkflowEventTopic[];

  async handle(event: WorkflowEvent, manager: EntityManager, batch: EventBatch): Promise<void> {
    const active = await batch.read('webhook-subscriptions', () => activeSubscriptions(manager));
    if (!active.some((s) => s.topics.includes(event.topic))) return;
    await enqueueDeliveries(
      manager,
      {
        id: event.id,
        topic: event.topic,
        payload: {
          id: event.id,
          topic: event.topic,
          instanceId: event.instanceId,
          createdAt: event.createdAt,
          data: event.payload,
        },
      },
      undefined,
      active,
    );
  }
}
