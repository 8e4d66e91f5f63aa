import { Injectable } from '@nestjs/common';
import type {
  DurationGroup,
  DurationReportCommand,
  DurationRow,
  InstanceCountRow,
  InstanceReportCommand,
  ReportRangeCommand,
  WorkOrderCountRow,
} from '@app/contracts';
import { WorkflowEnv } from '../config/workflow.env';
import { histogramPercentile } from './histogram';
import { ms, reportWindow } from './report-sql';
import {
  type DurationBucketRaw,
  type DurationRaw,
  type ReportFilter,
  ReportsRepository,
} from './reports.repository';

/** Process reports (DESIGN §5): instance counts, durations from the task history, work-order counts. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly config: WorkflowEnv,
  ) {}

  async instances(command: InstanceReportCommand): Promise<InstanceCountRow[]> {
    const filter = this.filter(command);
    const rows =
      (this.reports.aggregatesCover(filter.actor)
        ? await this.reports.countInstancesFromAggregates(filter, command.period)
        : null) ?? (await this.reports.countInstancesByPeriod(filter, command.period));
    const names = await this.reports.processNames(rows.map((r) => r.process_key));
    return rows.map((r) => ({
      period: r.period,
      periodStart: new Date(r.period_start).toISOString(),
      processKey: r.process_key,
      processName: names.get(r.process_key) ?? null,
      status: r.status,
      count: r.count,
    }));
  }

  async durations(command: DurationReportCommand): Promise<DurationRow[]> {
    const rows = await this.durationRows(this.filter(command), command.by);
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
    const filter = this.filter(command);
    const rows =
      (await this.reports.countWorkOrdersFromAggregates(filter)) ??
      (await this.reports.countWorkOrders(filter));
    return rows.map((r) => ({
      categoryId: r.category_id,
      categoryName: r.category_name,
      status: r.status,
      count: r.count,
    }));
  }

  /**
   * From the histograms when they are built in TZ_BUSINESS and the report measures more than
   * REPORT_EXACT_MAX_ROWS tasks and instances; otherwise exact, from the records.
   */
  private async durationRows(filter: ReportFilter, by: DurationGroup): Promise<DurationRaw[]> {
    const buckets = await this.reports.durationHistograms(filter, by);
    if (!buckets) return this.reports.durations(filter, by);
    const measured = buckets.reduce((n, b) => n + (b.metric === 't' || b.metric === 'i' ? b.n : 0), 0);
    if (measured <= this.config.REPORT_EXACT_MAX_ROWS) return this.reports.durations(filter, by);
    return this.fromHistograms(by, buckets);
  }

  private async fromHistograms(by: DurationGroup, buckets: DurationBucketRaw[]): Promise<DurationRaw[]> {
    const keyOf = (b: DurationBucketRaw) =>
      by === 'process'
        ? b.definition_key
        : by === 'node'
          ? `${b.definition_key}:${b.element_id}`
          : b.assignee_id;
    const groups = new Map<
      string,
      { first: DurationBucketRaw; metrics: Record<string, [number, number][]> }
    >();
    for (const b of buckets) {
      const key = keyOf(b);
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { first: b, metrics: { w: [], k: [], t: [], i: [] } }));
      group.metrics[b.metric].push([b.bucket, b.n]); // rows come in bucket order
    }
    const names = await this.reports.durationNames(
      by,
      [...groups.values()].map((g) => ({
        definitionKey: g.first.definition_key,
        elementId: g.first.element_id,
      })),
    );
    const sum = (pairs: [number, number][]) => pairs.reduce((n, [, count]) => n + count, 0);
    return [...groups.entries()]
      .map(([key, { metrics }]) => ({
        key,
        name: names.get(key) ?? null,
        count: sum(metrics.t),
        waiting_p50: histogramPercentile(metrics.w, 0.5),
        waiting_p95: histogramPercentile(metrics.w, 0.95),
        working_p50: histogramPercentile(metrics.k, 0.5),
        working_p95: histogramPercentile(metrics.k, 0.95),
        total_p50: histogramPercentile(metrics.t, 0.5),
        total_p95: histogramPercentile(metrics.t, 0.95),
        instances: by === 'process' ? sum(metrics.i) : null,
        instance_p50: histogramPercentile(metrics.i, 0.5),
        instance_p95: histogramPercentile(metrics.i, 0.95),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
