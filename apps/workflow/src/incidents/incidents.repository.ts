import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In, IsNull } from 'typeorm';
import { IncidentEntity, type IncidentKind } from '@app/database';

export interface RaiseIncident {
  kind: IncidentKind;
  instanceId: string | null;
  definitionId?: string | null;
  elementId?: string | null;
  jobId?: string | null;
  taskId?: string | null;
  message: string;
}

/**
 * Incidents: what an operator must look at because a run cannot go on by itself. Raised inside the
 * caller's transaction (with the change that caused it); open until resolved; the monitoring centre
 * lists the open ones of each instance.
 */
@Injectable()
export class IncidentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async raise(manager: EntityManager, incident: RaiseIncident): Promise<IncidentEntity> {
    const repo = manager.getRepository(IncidentEntity);
    return repo.save(
      repo.create({
        kind: incident.kind,
        instanceId: incident.instanceId,
        definitionId: incident.definitionId ?? null,
        elementId: incident.elementId ?? null,
        jobId: incident.jobId ?? null,
        taskId: incident.taskId ?? null,
        message: incident.message.slice(0, 2000),
      }),
    );
  }

  /** Raises an incident about a job unless one of that kind is open for it already. */
  async raiseForJob(manager: EntityManager, incident: RaiseIncident & { jobId: string }): Promise<void> {
    const open = await manager
      .getRepository(IncidentEntity)
      .existsBy({ kind: incident.kind, jobId: incident.jobId, resolvedAt: IsNull() });
    if (!open) await this.raise(manager, incident);
  }

  /** The causes went away (a job retried, completed, cancelled): their open incidents are resolved. */
  async resolveForJobs(
    manager: EntityManager,
    kind: IncidentKind,
    jobIds: readonly string[],
    actorId: string,
  ): Promise<void> {
    if (jobIds.length === 0) return;
    await manager
      .getRepository(IncidentEntity)
      .update(
        { kind, jobId: In([...jobIds]), resolvedAt: IsNull() },
        { resolvedAt: new Date(), resolvedBy: actorId },
      );
  }

  /**
   * `unknown_assignee` incidents of an instance whose task has settled: it ended, or someone holds it
   * by staff id now (claimed by a candidate, transferred by an administrator).
   */
  async resolveSettledAssignees(manager: EntityManager, instanceId: string, actorId: string): Promise<void> {
    await manager.query(
      `UPDATE workflow.incident i SET resolved_at = now(), resolved_by = $2
        WHERE i.instance_id = $1 AND i.kind = 'unknown_assignee' AND i.resolved_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM workflow.task t WHERE t.id = i.task_id AND t.status = 'open'
                            AND (t.assignee_id IS NULL OR t.assignee_id !~ '^[0-9]+$'))`,
      [instanceId, actorId],
    );
  }

  /** Open incidents of the given instances, oldest first. */
  openOfInstances(instanceIds: string[]): Promise<IncidentEntity[]> {
    if (instanceIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(IncidentEntity).find({
      where: { instanceId: In(instanceIds), resolvedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** Marks an open incident resolved; false when there is no such open incident. */
  async resolve(manager: EntityManager, id: string, actorId: string): Promise<boolean> {
    const result = await manager
      .getRepository(IncidentEntity)
      .update({ id, resolvedAt: IsNull() }, { resolvedAt: new Date(), resolvedBy: actorId });
    return (result.affected ?? 0) > 0;
  }
}
