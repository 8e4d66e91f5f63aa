import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { type DueRows, JobEntity, msUntilDue } from '@app/database';

/** A due job as the runner claims it (raw row). */
export interface DueJob {
  id: string;
  kind: string;
  instance_id: string;
  timer_id: string;
  element_id: string;
}

/** The jobs the job runner fires (SLA steps have their own runner). */
const RUNNER_JOBS: DueRows = {
  from: 'workflow.job j',
  where: `j.status = 'pending' AND j.kind IN ('timer', 'signal', 'signal-start')`,
  dueAt: 'j.due_at',
};

const CLAIM_NEXT_DUE = `SELECT j.id, j.kind, j.instance_id, j.timer_id, j.element_id FROM ${RUNNER_JOBS.from}
  JOIN workflow.process_instance i ON i.id = j.instance_id
  WHERE ${RUNNER_JOBS.where} AND ${RUNNER_JOBS.dueAt} <= now()
  ORDER BY j.due_at, j.id LIMIT 1
  FOR UPDATE OF j, i SKIP LOCKED`;

/** Every query on workflow.job outside the execution step's own job sync. */
@Injectable()
export class JobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(filter: { instanceId?: string; status?: JobEntity['status'] }): Promise<JobEntity[]> {
    return this.dataSource.getRepository(JobEntity).find({
      where: {
        ...(filter.instanceId && { instanceId: filter.instanceId }),
        ...(filter.status && { status: filter.status }),
      },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: 500,
    });
  }

  findById(id: string): Promise<JobEntity | null> {
    return this.dataSource.getRepository(JobEntity).findOneBy({ id });
  }

  /** Makes a pending or failed job due now (a failed one starts its attempts again); false if neither. */
  async makeDueNow(id: string): Promise<boolean> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [, updated]: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.job SET due_at = LEAST(due_at, now()), status = 'pending', attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END
       WHERE id = $1 AND status IN ('pending', 'failed') RETURNING id`,
      [id],
    );
    return updated > 0;
  }

  /** Milliseconds until the next job `claimNextDue` would take falls due (the runner's probe). */
  dueIn(withinMs: number): Promise<number | null> {
    return msUntilDue(this.dataSource, RUNNER_JOBS, withinMs);
  }

  /**
   * The next due timer or signal job, locked with its instance row (SKIP LOCKED: replicas never
   * share a job, and a job whose instance is busy waits for the next round). SLA steps have their own runner.
   */
  async claimNextDue(manager: EntityManager): Promise<DueJob | undefined> {
    const due: DueJob[] = await manager.query(CLAIM_NEXT_DUE);
    return due[0];
  }

  async finish(manager: EntityManager, id: string, status: 'done' | 'cancelled'): Promise<void> {
    await manager.update(JobEntity, { id }, { status, finishedAt: new Date() });
  }

  /** A failing job backs off (attempt² × 5 s) and is marked failed after 5 attempts. */
  async recordFailure(manager: EntityManager, id: string, message: string): Promise<void> {
    await manager.query(
      `UPDATE workflow.job SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN attempts + 1 >= 5 THEN 'failed' ELSE status END,
         due_at = now() + ((attempts + 1) * (attempts + 1) * 5) * interval '1 second'
       WHERE id = $1 AND status = 'pending'`,
      [id, message],
    );
  }
}
