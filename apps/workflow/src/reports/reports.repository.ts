import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, DurationGroup, ReportPeriod } from '@app/contracts';
import { WORK_ORDER_STATUS_SQL } from '../work-orders/work-order.mapper';
import { type ReportWindow, scopeInstances, SqlFilter } from './report-sql';

const PERIOD_LABEL: Record<ReportPeriod, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };

export interface InstanceCountRaw {
  period: string;
  period_start: Date;
  process_key: string;
  status: string;
  count: number;
}

export interface DurationRaw {
  key: string;
  name: string | null;
  count: number;
  waiting_p50: number | null;
  waiting_p95: number | null;
  working_p50: number | null;
  working_p95: number | null;
  total_p50: number | null;
  total_p95: number | null;
  instances: number | null;
  instance_p50: number | null;
  instance_p95: number | null;
}

export interface WorkOrderCountRaw {
  category_id: string | null;
  category_name: string | null;
  status: string;
  count: number;
}

export interface ReportFilter {
  actor: Actor;
  window: ReportWindow;
  processKey?: string;
  timeZone: string;
}

/** Milliseconds between two timestamptz expressions, as float8 (extract() gives numeric: twice as slow to sort). */
const millis = (to: string, from: string) => `(date_part('epoch', ${to} - ${from}) * 1000)`;
/** Sorts for the percentiles of 100k+ rows spill to disk at the default 4 MB; reports get more, per transaction. */
const REPORT_WORK_MEM = '64MB';
const percentiles = (alias: string, column: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p50,
   percentile_cont(0.95) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p95`;

/** Report queries: one aggregate statement each, computed in PostgreSQL (DESIGN §5). */
@Injectable()
export class ReportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Runs one report statement in its own transaction with a larger `work_mem`. */
  private run<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      return manager.query(sql, params) as Promise<T[]>;
    });
  }

  /**
   * Instances started in the window, per calendar period of the start (TZ_BUSINESS), process and status.
   * Ordered by the label (it sorts like the period): ordering by the period itself made the planner sort
   * all rows for a group aggregate instead of hashing them (~2× slower at 100,000 instances).
   */
  countInstancesByPeriod(filter: ReportFilter, period: ReportPeriod): Promise<InstanceCountRaw[]> {
    const where = new SqlFilter();
    const zone = where.param(filter.timeZone);
    const unit = where.param(period);
    const label = where.param(PERIOD_LABEL[period]);
    if (filter.window.from) where.where('i.started_at >= $?', filter.window.from);
    if (filter.window.to) where.where('i.started_at < $?', filter.window.to);
    if (filter.processKey) where.where('i.definition_key = $?', filter.processKey);
    scopeInstances(where, filter.actor, 'i.initiator_id', 'i.initiator_department_id');
    return this.run<InstanceCountRaw>(
      `SELECT to_char(b.p, ${label}) AS period, (b.p AT TIME ZONE ${zone}) AS period_start,
              b.process_key, b.status, count(*)::int AS count
         FROM (SELECT date_trunc(${unit}, i.started_at AT TIME ZONE ${zone}) AS p,
                      i.definition_key AS process_key, i.status
                 FROM workflow.process_instance i ${where.sql()}) b
        GROUP BY b.p, b.process_key, b.status
        ORDER BY 1, 3, 4`,
      where.params,
    );
  }

  /**
   * Completed tasks that ended in the window, grouped by process, node or assignee, with p50/p95 of
   * waiting (created → claimed, or → completed if never claimed), working (claimed → completed) and
   * total time. By process it adds the instances that ended in the window and their start → end time.
   */
  durations(filter: ReportFilter, by: DurationGroup): Promise<DurationRaw[]> {
    const where = new SqlFilter();
    where.where(`t.status = 'completed'`);
    if (filter.window.from) where.where('t.ended_at >= $?', filter.window.from);
    if (filter.window.to) where.where('t.ended_at < $?', filter.window.to);
    if (filter.processKey) where.where('t.definition_key = $?', filter.processKey);
    const scoped = this.scopedJoin(where, filter.actor);
    // Grouped by plain columns so the partial indexes of migration ReportIndexes feed the aggregate in
    // order (index-only, no sort of the whole table); names are looked up once per group.
    const sameNode = `n.status = 'completed' AND n.definition_key = d.definition_key`;
    const group = {
      process: {
        columns: 'd.definition_key',
        key: 'd.definition_key',
        name: `(SELECT n.process_name FROM workflow.task n WHERE ${sameNode} LIMIT 1)`,
      },
      node: {
        columns: 'd.definition_key, d.element_id',
        key: `d.definition_key || ':' || d.element_id`,
        name: `(SELECT n.name FROM workflow.task n WHERE ${sameNode} AND n.element_id = d.element_id LIMIT 1)`,
      },
      assignee: { columns: 'd.assignee_id', key: `COALESCE(d.assignee_id, '')`, name: 'NULL::text' },
    }[by];
    const claimed = 'COALESCE(t.claimed_at, t.ended_at)';
    const tasks = `SELECT ${group.key} AS key, ${group.name} AS name, count(*)::int AS count,
        ${percentiles('waiting', 'd.waiting')}, ${percentiles('working', 'd.working')},
        ${percentiles('total', 'd.total')}
      FROM (SELECT t.definition_key, t.element_id, t.assignee_id,
                   ${millis(claimed, 't.created_at')} AS waiting, ${millis('t.ended_at', claimed)} AS working,
                   ${millis('t.ended_at', 't.created_at')} AS total
              FROM workflow.task t ${scoped ? 'JOIN workflow.process_instance si ON si.id = t.instance_id' : ''}
              ${where.sql()}) d
      GROUP BY ${group.columns}`;
    if (by !== 'process') return this.run<DurationRaw>(`${tasks} ORDER BY 1`, where.params);
    return this.processDurations(filter, where, tasks);
  }

  /**
   * By process: the task aggregate and the ended-instance aggregate are two statements run side by side
   * (two pool connections), merged here; a process with ended instances but no completed task still
   * gets a row.
   */
  private async processDurations(
    filter: ReportFilter,
    where: SqlFilter,
    tasks: string,
  ): Promise<DurationRaw[]> {
    const ended = new SqlFilter();
    ended.where('i.ended_at IS NOT NULL');
    if (filter.window.from) ended.where('i.ended_at >= $?', filter.window.from);
    if (filter.window.to) ended.where('i.ended_at < $?', filter.window.to);
    if (filter.processKey) ended.where('i.definition_key = $?', filter.processKey);
    scopeInstances(ended, filter.actor, 'i.initiator_id', 'i.initiator_department_id');
    const [taskRows, instanceRows] = await Promise.all([
      this.run<DurationRaw>(tasks, where.params),
      this.run<{
        key: string;
        name: string | null;
        instances: number;
        instance_p50: number;
        instance_p95: number;
      }>(
        `SELECT e.key, (SELECT p.process_name FROM workflow.process_instance p WHERE p.definition_key = e.key LIMIT 1) AS name,
                e.instances, e.instance_p50, e.instance_p95
           FROM (SELECT i.definition_key AS key, count(*)::int AS instances,
                        ${percentiles('instance', millis('i.ended_at', 'i.started_at'))}
                   FROM workflow.process_instance i ${ended.sql()} GROUP BY i.definition_key) e`,
        ended.params,
      ),
    ]);
    const rows = new Map<string, DurationRaw>(
      taskRows.map((r) => [r.key, { ...r, instances: 0, instance_p50: null, instance_p95: null }]),
    );
    for (const e of instanceRows)
      rows.set(e.key, {
        ...(rows.get(e.key) ?? {
          key: e.key,
          name: e.name,
          count: 0,
          waiting_p50: null,
          waiting_p95: null,
          working_p50: null,
          working_p95: null,
          total_p50: null,
          total_p95: null,
        }),
        instances: e.instances,
        instance_p50: e.instance_p50,
        instance_p95: e.instance_p95,
      });
    return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Work orders created in the window, per category and status (read from the instance). */
  countWorkOrders(filter: ReportFilter): Promise<WorkOrderCountRaw[]> {
    const where = new SqlFilter();
    if (filter.window.from) where.where('w.created_at >= $?', filter.window.from);
    if (filter.window.to) where.where('w.created_at < $?', filter.window.to);
    if (filter.processKey) where.where('w.definition_key = $?', filter.processKey);
    scopeInstances(where, filter.actor, 'w.created_by', 'w.created_by_department');
    return this.run<WorkOrderCountRaw>(
      `SELECT w.category_id::text AS category_id, max(c.name) AS category_name,
              ${WORK_ORDER_STATUS_SQL} AS status, count(*)::int AS count
         FROM workflow.work_order w
         LEFT JOIN workflow.process_instance i ON i.id = w.instance_id
         LEFT JOIN workflow.work_order_category c ON c.id = w.category_id
         ${where.sql()}
        GROUP BY w.category_id, 3
        ORDER BY w.category_id NULLS FIRST, 3`,
      where.params,
    );
  }

  /** Restricts tasks to instances the actor may report on (joined as `si`); false when no join is needed. */
  private scopedJoin(where: SqlFilter, actor: Actor): boolean {
    const before = where.params.length;
    scopeInstances(where, actor, 'si.initiator_id', 'si.initiator_department_id');
    return where.params.length > before;
  }
}
