import { Injectable } from '@nestjs/common';
import type {
  DurationReportCommand,
  DurationRow,
  InstanceCountRow,
  InstanceReportCommand,
  ReportRangeCommand,
  WorkOrderCountRow,
} from '@app/contracts';
import { WorkflowEnv } from '../config/workflow.env';
import { ms, reportWindow } from './report-sql';
import { type ReportFilter, ReportsRepository } from './reports.repository';

/** Process reports (DESIGN §5): instance counts, durations from the task history, work-order counts. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly config: WorkflowEnv,
  ) {}

  async instances(command: InstanceReportCommand): Promise<InstanceCountRow[]> {
    const rows = await this.reports.countInstancesByPeriod(this.filter(command), command.period);
    return rows.map((r) => ({
      period: r.period,
      periodStart: new Date(r.period_start).toISOString(),
      processKey: r.process_key,
      status: r.status,
      count: r.count,
    }));
  }

  async durations(command: DurationReportCommand): Promise<DurationRow[]> {
    const rows = await this.reports.durations(this.filter(command), command.by);
    const byProcess = command.by === 'process';
    return rows.map((r) => ({
      key: r.key,
      name: r.name,
      count: r.count,
      waitingP50: ms(r.waiting_p50),
      waitingP95: ms(r.waiting_p95),
      workingP50: ms(r.working_p50),
      workingP95: ms(r.working_p95),
      totalP50: ms(r.total_p50),
      totalP95: ms(r.total_p95),
      instances: byProcess ? (r.instances ?? 0) : null,
      instanceP50: byProcess ? ms(r.instance_p50) : null,
      instanceP95: byProcess ? ms(r.instance_p95) : null,
    }));
  }

  async workOrders(command: ReportRangeCommand): Promise<WorkOrderCountRow[]> {
    const rows = await this.reports.countWorkOrders(this.filter(command));
    return rows.map((r) => ({
      categoryId: r.category_id,
      categoryName: r.category_name,
      status: r.status,
      count: r.count,
    }));
  }

  private filter(command: ReportRangeCommand): ReportFilter {
    return {
      actor: command.actor,
      window: reportWindow(command, this.config.TZ_BUSINESS),
      processKey: command.processKey,
      timeZone: this.config.TZ_BUSINESS,
    };
  }
}
