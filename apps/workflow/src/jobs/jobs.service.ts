import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { ExecuteJobCommand, JobReply, ListJobsCommand } from '@app/contracts';
import { JobEntity } from '@app/database';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { requirePermission } from '../definitions/definitions.service';

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(command: ListJobsCommand): Promise<JobReply[]> {
    requirePermission(command.actor, 'workflow:admin');
    const rows = await this.dataSource.getRepository(JobEntity).find({
      where: {
        ...(command.instanceId && { instanceId: command.instanceId }),
        ...(command.status && { status: command.status as JobEntity['status'] }),
      },
      order: { dueAt: 'ASC', id: 'ASC' },
      take: 500,
    });
    return rows.map(mapJob);
  }

  async execute(command: ExecuteJobCommand): Promise<JobReply> {
    requirePermission(command.actor, 'workflow:admin');
    const [, updated]: [unknown[], number] = await this.dataSource.query(
      `UPDATE workflow.job SET due_at = LEAST(due_at, now()), status = 'pending', attempts = CASE WHEN status = 'failed' THEN 0 ELSE attempts END
       WHERE id = $1 AND status IN ('pending', 'failed') RETURNING id`,
      [command.id],
    );
    const job = await this.dataSource.getRepository(JobEntity).findOneBy({ id: command.id });
    if (!job) throw WorkflowException.missing(WorkflowReason.JobNotFound, 'job', command.id);
    if (updated === 0 && job.status !== 'pending') {
      throw WorkflowException.conflict(WorkflowReason.JobNotPending, `job ${command.id} is ${job.status}`);
    }
    return mapJob(job);
  }
}
