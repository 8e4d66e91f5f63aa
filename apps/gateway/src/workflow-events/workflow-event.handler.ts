import type { EntityManager } from 'typeorm';
import type { WorkflowEvent, WorkflowEventTopic } from '@app/contracts';
import type { EventBatch } from './event-batch';

/**
 * A consumer of workflow events in the gateway (inbox, webhooks, SLA, ...). `handle` runs inside the
 * transaction that records the event as processed, so its writes and the de-duplication commit together;
 * that transaction may hold the other events of the batch, whose reads and writes `batch` lets it share.
 */
export interface WorkflowEventHandler {
  readonly topics: readonly WorkflowEventTopic[];
  handle(event: WorkflowEvent, manager: EntityManager, batch: EventBatch): Promise<void>;
}

/** Multi-provider token: `{ provide: WORKFLOW_EVENT_HANDLERS, useClass: X, multi... }` via the module's factory. */
export const WORKFLOW_EVENT_HANDLERS = Symbol('WORKFLOW_EVENT_HANDLERS');
