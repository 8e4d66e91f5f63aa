import { Injectable } from '@nestjs/common';
import type {
  MonitoredInstanceReply,
  MonitoringListCommand,
  MonitoringReasonReply,
  PageReply,
} from '@app/contracts';
import { IncidentsRepository } from '../incidents/incidents.repository';
import { MonitoringRepository } from './monitoring.repository';

/** Monitoring centre (监控中心): running instances, abnormal ones with every reason that applies. */
@Injectable()
export class MonitoringService {
  constructor(
    private readonly monitoring: MonitoringRepository,
    private readonly incidents: IncidentsRepository,
  ) {}

  async list(command: MonitoringListCommand): Promise<PageReply<MonitoredInstanceReply>> {
    const query = {
      actor: command.actor,
      state: command.state,
      processKey: command.processKey,
      stuckAfterHours: command.stuckAfterHours,
      limit: command.pageSize,
      offset: (command.pageNum - 1) * command.pageSize,
    };
    const rows = await this.monitoring.page(query);
    // The total rides on each row; a page past the end has none, so ask for the first row instead.
    const total =
      rows[0]?.total ??
      (query.offset > 0
        ? ((await this.monitoring.page({ ...query, limit: 1, offset: 0 }))[0]?.total ?? 0)
        : 0);
    const ids = rows.map((r) => r.id);
    const abnormal = command.state === 'abnormal';
    const [overdue, failed, waitingOnTimer, nodes, incidents] = ids.length
      ? await Promise.all([
          abnormal ? this.monitoring.overdueTasks(ids) : [],
          abnormal ? this.monitoring.failedJobs(ids) : [],
          abnormal ? this.monitoring.withFutureTimer(ids) : new Set<string>(),
          this.monitoring.openTaskNames(ids),
          abnormal ? this.incidents.openOfInstances(ids) : [],
        ])
      : [[], [], new Set<string>(), new Map<string, string[]>(), []];
    const stuckBefore = Date.now() - command.stuckAfterHours * 3_600_000;
    const reasons = new Map<string, MonitoringReasonReply[]>();
    const add = (id: string, reason: MonitoringReasonReply) =>
      reasons.set(id, [...(reasons.get(id) ?? []), reason]);
    for (const t of overdue)
      add(t.instance_id, {
        code: 'overdue_task',
        detail: `task "${t.name}" (#${t.task_id}${t.assignee_id ? `, assignee ${t.assignee_id}` : ''}) is past its due time`,
        since: new Date(t.due_at).toISOString(),
        taskId: t.task_id,
        jobId: null,
        incidentId: null,
      });
    for (const j of failed)
      add(j.instance_id, {
        code: 'failed_job',
        detail: `${j.kind} job at ${j.element_id} failed after ${j.attempts} attempts: ${j.last_error ?? 'no error recorded'}`,
        since: new Date(j.failed_at).toISOString(),
        taskId: null,
        jobId: j.job_id,
        incidentId: null,
      });
    for (const i of incidents)
      add(i.instanceId!, {
        code: 'incident',
        detail: `${i.kind}${i.elementId ? ` at ${i.elementId}` : ''}: ${i.message}`,
        since: i.createdAt.toISOString(),
        taskId: i.taskId,
        jobId: i.jobId,
        incidentId: i.id,
      });
    for (const r of rows)
      if (
        abnormal &&
        r.status === 'running' &&
        new Date(r.updated_at).getTime() < stuckBefore &&
        !waitingOnTimer.has(r.id)
      )
        add(r.id, {
          code: 'stuck',
          detail: `no progress for more than ${command.stuckAfterHours} h and no timer due later`,
          since: new Date(r.updated_at).toISOString(),
          taskId: null,
          jobId: null,
          incidentId: null,
        });
    return {
      total,
      pageNum: command.pageNum,
      pageSize: command.pageSize,
      rows: rows.map((r) => ({
        id: r.id,
        serialNo: r.serial_no,
        processKey: r.definition_key,
        processName: r.process_name,
        status: r.status,
        initiatorId: r.initiator_id,
        startedAt: new Date(r.started_at).toISOString(),
        updatedAt: new Date(r.updated_at).toISOString(),
        currentNodes: nodes.get(r.id) ?? [],
        reasons: reasons.get(r.id) ?? [],
      })),
    };
  }
}
