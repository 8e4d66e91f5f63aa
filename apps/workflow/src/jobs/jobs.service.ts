import { Injectable } from '@nestjs/common';
import type { ExecuteJobCommand, JobReply, ListJobsCommand } from '@app/contracts';
import type { JobEntity } from '@app/database';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { requirePermission } from '../definitions/definitions.service';
import { JobsRepository } from './jobs.repository';

export function mapJob(job: JobEntity): JobReply {
  return {
    id: job.id,
    instanceId: job.instanceId,
    kind: job.kind,
    elementId: job.elementId,
    dueAt: job.dueAt.toISOString(),
    status: job.status,
    attempts: job.attempts,
    lastError: job.lastError,
  };
}

/** Due work for operators: list timers, and "execute now" (fire a pending one early, retry a failed one). */
@Injectable()
export class JobsService {
  constructor(private readonly jobs: JobsRepository) {}

  async list(command: ListJobsCommand): Promise<JobReply[]> {
    requirePermission(command.actor, 'workflow:admin');
    const rows = await this.jobs.list({
      instanceId: command.instanceId,
      status: command.status as JobEntity['status'] | undefined,
    });
    return rows.map(mapJob);
  }

  async execute(command: ExecuteJobCommand): Promise<JobReply> {
    requirePermission(command.actor, 'workflow:admin');
    const updated = await this.jobs.makeDueNow(command.id);
    const job = await this.jobs.findById(command.id);
    if (!job) throw WorkflowException.missing(WorkflowReason.JobNotFound, 'job', command.id);
    if (!updated && job.status !== 'pending') {
      throw WorkflowException.conflict(WorkflowReason.JobNotPending, `job ${command.id} is ${job.status}`);
    }
    return mapJob(job);
  }
}
