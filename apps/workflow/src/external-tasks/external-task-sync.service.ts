import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ProcessInstanceEntity } from '@app/database';
import type { Wait } from '../engine';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { ExternalTasksRepository } from './external-tasks.repository';

/**
 * Open external-task rows mirror the engine's `externalTask` waits exactly (run in the step's
 * transaction, after the engine step): a new wait is a new fetchable row; a row whose wait is gone
 * (interrupted by a boundary event, the instance stopped) is cancelled and its incident resolved.
 * A row the worker finished itself is closed by the worker command before the step.
 */
@Injectable()
export class ExternalTaskSyncService {
  constructor(
    private readonly repository: ExternalTasksRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  async sync(
    manager: EntityManager,
    instance: Pick<ProcessInstanceEntity, 'id' | 'definitionKey'>,
    waits: readonly Wait[],
    now: Date,
  ): Promise<void> {
    const external = waits.filter((w) => w.type === 'externalTask');
    const open = await this.repository.openOfInstance(manager, instance.id);
    if (open.length === 0 && external.length === 0) return;
    const waiting = new Set(external.map((w) => w.executionId));
    const gone = open.filter((row) => !waiting.has(row.executionId));
    if (gone.length > 0) {
      await this.repository.cancel(
        manager,
        gone.map((row) => row.id),
        now,
      );
      await this.incidents.resolveForJobs(
        manager,
        'failed_external_task',
        gone.map((row) => row.id),
        'system',
      );
    }
    const known = new Set(open.map((row) => row.executionId));
    const fresh = external.filter((w) => !known.has(w.executionId));
    if (fresh.length > 0) {
      await this.repository.insertOpen(
        manager,
        fresh.map((wait) => ({
          instanceId: instance.id,
          executionId: wait.executionId,
          elementId: wait.elementId,
          definitionKey: instance.definitionKey,
          topic: wait.topic ?? '',
          createdAt: now,
        })),
      );
    }
  }
}
