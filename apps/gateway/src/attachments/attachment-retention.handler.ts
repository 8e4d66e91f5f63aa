import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type WorkflowEvent, WorkflowEventTopic } from '@app/contracts';
import type { WorkflowEventHandler } from '../workflow-events/workflow-event.handler';
import { AttachmentsRepository } from './attachments.repository';

/** An instance deleted for good takes its comments, and so the files on them, along (queued for purge). */
@Injectable()
export class AttachmentRetentionHandler implements WorkflowEventHandler {
  readonly topics = [WorkflowEventTopic.InstanceDeleted];

  constructor(private readonly repository: AttachmentsRepository) {}

  async handle(event: WorkflowEvent, manager: EntityManager): Promise<void> {
    const ids = Array.isArray(event.payload.instanceIds)
      ? event.payload.instanceIds.map(String)
      : [event.instanceId].filter((id): id is string => !!id);
    if (ids.length > 0) await this.repository.markCommentsOfInstances(manager, ids);
  }
}
