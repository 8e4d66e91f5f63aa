import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExecutionService } from '../execution/execution.service';
import { WorkflowEnv } from '../config/workflow.env';
import type { EntityManager } from 'typeorm';
import { type AppException, PollingWorker } from '@app/common';
import { JobEntity, type ProcessInstanceEntity } from '@app/database';
import { EngineErrorCode } from '../engine';

interface DueJob {
  id: string;
  kind: string;
  instance_id: string;
  timer_id: string;
  element_id: string;
}

/**
 * Fires due timer jobs. Each job runs in its own transaction that locks the job and its instance
 * together with SKIP LOCKED: any number of workflow replicas poll safely, each due job fires once,
 * and a job whose instance is busy is simply picked up on the next round.
 */
@Injectable()
export class JobRunnerService extends PollingWorker {
  protected readonly logger = new Logger(JobRunnerService.name);
  protected readonly pollMs: number;
  protected readonly roundName = 'job';
  protected override readonly startAtOnce = true;

  constructor(
    private readonly execution: ExecutionService,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
  }

  /** Fires due jobs until none is left (bounded per round). Returns how many fired. */
  async runOnce(limit = 500): Promise<number> {
    let fired = 0;
    while (fired < limit && !this.stopping) {
      const outcome = await this.fireNext().catch(async (error: unknown) => {
        // nothing claimed (the database is away): the round fails and the worker backs off
        if (!this.lastClaimed) throw error;
        await this.recordFailure(this.lastClaimed, error);
        return 'failed' as const;
      });
      if (outcome === 'none') break;
      fired += 1;
    }
    return fired;
  }

  private lastClaimed?: string;

  private async fireNext(): Promise<'none' | 'fired'> {
    this.lastClaimed = undefined;
    return this.execution.transaction(async (manager) => {
      const due: DueJob[] = await manager.query(
        `SELECT j.id, j.kind, j.instance_id, j.timer_id, j.element_id FROM workflow.job j
         JOIN workflow.process_instance i ON i.id = j.instance_id
         WHERE j.status = 'pending' AND j.kind IN ('timer', 'signal', 'signal-start') AND j.due_at <= now()
         ORDER BY j.due_at, j.id LIMIT 1
         FOR UPDATE OF j, i SKIP LOCKED`,
      );
      if (due.length === 0) return 'none';
      const job = due[0];
      this.lastClaimed = String(job.id);
      // Done first: if the timer stays pending (a cycle), the step's job sync schedules its next round.
      await manager.update(JobEntity, { id: String(job.id) }, { status: 'done', finishedAt: new Date() });
      // signal start events of a signal thrown by that instance (which may have ended since)
      if (job.kind === 'signal-start') {
        await this.execution.startBySignal(manager, job.element_id);
        return 'fired';
      }
      const instance = await this.execution.lockInstance(manager, String(job.instance_id));
      if (instance.status !== 'running') return 'fired';
      // a signal thrown by another instance (see ExecutionService.queueSignal): delivered once, here
      if (job.kind === 'signal')
        await this.execution.apply(
          manager,
          instance,
          { type: 'signal', name: job.element_id },
          { actorId: null },
        );
      else await this.fire(manager, instance, job.timer_id);
      return 'fired';
    });
  }

  /**
   * fire-timer covers a job run early and clock skew between replicas; a timer already overdue has
   * fired by itself while the engine resumed, which answers UNKNOWN_TIMER: then the resume is the step.
   */
  private async fire(
    manager: EntityManager,
    instance: ProcessInstanceEntity,
    timerId: string,
  ): Promise<void> {
    try {
      await this.execution.apply(manager, instance, { type: 'fire-timer', timerId }, { actorId: null });
    } catch (error) {
      if ((error as AppException).reason !== EngineErrorCode.UNKNOWN_TIMER) throw error;
      await this.execution.apply(manager, instance, { type: 'resume' }, { actorId: null });
    }
  }

  /** A failing job backs off (attempt² × 5 s) and is marked failed after 5 attempts (monitoring lists it). */
  private async recordFailure(id: string, error: unknown): Promise<void> {
    this.logger.error({ err: error, job: id }, 'timer job failed');
    const message = (error as Error)?.message?.slice(0, 2000) ?? 'failed';
    await this.execution.transaction((manager) =>
      manager.query(
        `UPDATE workflow.job SET attempts = attempts + 1, last_error = $2,
           status = CASE WHEN attempts + 1 >= 5 THEN 'failed' ELSE status END,
           due_at = now() + ((attempts + 1) * (attempts + 1) * 5) * interval '1 second'
         WHERE id = $1 AND status = 'pending'`,
        [id, message],
      ),
    );
  }
}
