import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { ExternalTaskEntity } from '@app/database';
import type { ExternalTaskTopic, ListExternalTasksCommand } from '@app/contracts';

export interface LockedRow {
  task: ExternalTaskEntity;
  businessKey: string | null;
  variables: Record<string, unknown>;
}

/** Every query on workflow.external_task. */
@Injectable()
export class ExternalTasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Locks up to `maxTasks` fetchable tasks of the topics for `workerId`: open, not locked (or the lock
   * expired), retries not used up, past their retry timeout. SKIP LOCKED: two workers fetching at
   * once never get the same task.
   */
  async fetchAndLock(
    manager: EntityManager,
    workerId: string,
    maxTasks: number,
    topics: readonly ExternalTaskTopic[],
  ): Promise<LockedRow[]> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [rows]: [
      Array<{ id: string; business_key: string | null; variables: Record<string, unknown> }>,
      number,
    ] = await manager.query(
      `WITH wanted AS (SELECT * FROM unnest($2::text[], $3::int[]) AS t(topic, lock_ms)),
              picked AS (
                SELECT e.id, w.lock_ms FROM workflow.external_task e JOIN wanted w ON w.topic = e.topic
                 WHERE e.status = 'open'
                   AND (e.lock_expires_at IS NULL OR e.lock_expires_at <= now())
                   AND (e.retries IS NULL OR e.retries > 0)
                   AND (e.available_at IS NULL OR e.available_at <= now())
                 ORDER BY e.id
                 LIMIT $4
                 FOR UPDATE OF e SKIP LOCKED)
         UPDATE workflow.external_task e
            SET worker_id = $1, lock_expires_at = now() + picked.lock_ms * interval '1 millisecond'
           FROM picked
          WHERE e.id = picked.id
        RETURNING e.id::text AS id,
                  (SELECT i.business_key FROM workflow.process_instance i WHERE i.id = e.instance_id) AS business_key,
                  (SELECT i.variables FROM workflow.process_instance i WHERE i.id = e.instance_id) AS variables`,
      [workerId, topics.map((t) => t.topicName), topics.map((t) => t.lockDuration), maxTasks],
    );
    if (rows.length === 0) return [];
    const tasks = await manager
      .getRepository(ExternalTaskEntity)
      .createQueryBuilder('e')
      .where('e.id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .orderBy('e.id')
      .getMany();
    const extra = new Map(rows.map((r) => [r.id, r]));
    return tasks.map((task) => ({
      task,
      businessKey: extra.get(task.id)?.business_key ?? null,
      variables: extra.get(task.id)?.variables ?? {},
    }));
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<ExternalTaskEntity | null> {
    return manager.getRepository(ExternalTaskEntity).findOneBy({ id });
  }

  /** The row locked for the rest of the caller's transaction (after its instance row: one lock order). */
  lockById(manager: EntityManager, id: string): Promise<ExternalTaskEntity | null> {
    return manager
      .getRepository(ExternalTaskEntity)
      .createQueryBuilder('e')
      .setLock('pessimistic_write')
      .where('e.id = :id', { id })
      .getOne();
  }

  async update(manager: EntityManager, id: string, changes: Partial<ExternalTaskEntity>): Promise<void> {
    await manager.getRepository(ExternalTaskEntity).update({ id }, changes);
  }

  openOfInstance(manager: EntityManager, instanceId: string): Promise<ExternalTaskEntity[]> {
    return manager.getRepository(ExternalTaskEntity).findBy({ instanceId, status: 'open' });
  }

  /** Cancels open rows whose wait is gone (their lock ends with them). */
  async cancel(manager: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    await manager
      .getRepository(ExternalTaskEntity)
      .update({ id: In([...ids]) }, { status: 'cancelled', endedAt: now, lockExpiresAt: null });
  }

  async insertOpen(
    manager: EntityManager,
    rows: ReadonlyArray<
      Pick<
        ExternalTaskEntity,
        'instanceId' | 'executionId' | 'elementId' | 'definitionKey' | 'topic' | 'createdAt'
      >
    >,
  ): Promise<void> {
    await manager
      .getRepository(ExternalTaskEntity)
      .insert(rows.map((row) => ({ ...row, status: 'open' as const })));
  }

  list(command: ListExternalTasksCommand): Promise<ExternalTaskEntity[]> {
    return this.dataSource.getRepository(ExternalTaskEntity).find({
      where: {
        ...(command.instanceId && { instanceId: command.instanceId }),
        ...(command.topic && { topic: command.topic }),
        ...(command.status && { status: command.status }),
      },
      order: { id: 'ASC' },
      take: 500,
    });
  }
}
