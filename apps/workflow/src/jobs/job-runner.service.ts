import { Inject, Injectable, Logger } from '@nestjs/common';
import { ExecutionService } from '../execution/execution.service';
import { JobWakeups } from '../execution/job-wakeups';
import { WorkflowEnv } from '../config/workflow.env';
import type { EntityManager } from 'typeorm';
import { type AppException, PollingWorker } from '@app/common';
import type { ProcessInstanceEntity } from '@app/database';
import { EngineErrorCode } from '../engine';
import { JobsRepository } from './jobs.repository';

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
    private readonly jobs: JobsRepository,
    wakeups: JobWakeups,
    @Inject(WorkflowEnv) config: WorkflowEnv,
  ) {
    super();
    this.pollMs = config.WORKFLOW_JOB_POLL_MS;
    wakeups.listen((dueAtMs) => this.wakeBy(dueAtMs));
  }

  protected override dueIn(withinMs: number): Promise<number | null> {
    return this.jobs.dueIn(withinMs);
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
      const job = await this.jobs.claimNextDue(manager);
      if (!job) return 'none';
      this.lastClaimed = String(job.id);
      // Done first: if the timer stays pending (a cycle), the step's job sync schedules its next round.
      await this.jobs.finish(manager, String(job.id), 'done');
      // signal start events of a signal thrown by that instance (which may have ended since)
      if (job.kind === 'signal-start') {
        await this.execution.startBySignal(manager, job.element_id);
        return 'fired';
      }
      const instance = await this.execution.lockInstance(manager, String(job.instance_id));
      if (instance.status !== 'running') return 'fired';
      // a signal thrown by another instance (see ExecutionService.queueSignal): delivered once, here
      if (job.kind === 'signal')
        await this.execution.deliverSignal(manager, instance, job.element_id, undefined, null);
      else await this.fire(manager, instance, job.timer_id);
      return 'fired';
    });
  }

  /**
   * fire-timer covers a job run early and clock skew between replicas (an overdue timer waits for this
   * job, whatever ran on the instance since). A timer gone with its scope answers UNKNOWN_TIMER: then
   * the resume is the step.
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
    await this.execution.transaction((manager) => this.jobs.recordFailure(manager, id, message));
  }
}
