import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor, DurationGroup, ReportPeriod } from '@app/contracts';
import { scopedRowsSql, seesEverything } from '../common/visibility';
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

/** Histogram rows of the duration report: a group, a measure (`w`aiting, wor`k`ing, `t`otal, `i`nstance), a bucket. */
export interface DurationBucketRaw {
  definition_key: string;
  element_id: string;
  assignee_id: string;
  metric: 'w' | 'k' | 't' | 'i';
  bucket: number;
  n: number;
}

export interface ReportFilter {
  actor: Actor;
  window: ReportWindow;
  processKey?: string;
  timeZone: string;
}

/** Milliseconds between two timestamptz expressions, as float8 (extract() gives numeric: twice as slow to sort). */
const millis = (to: string, from: string) => `(date_part('epoch', ${to} - ${from}) * 1000)`;
/** When a task was claimed; one never claimed counts as claimed when completed. */
const CLAIMED = 'COALESCE(t.claimed_at, t.ended_at)';
/** Sorts for the percentiles of 100k+ rows spill to disk at the default 4 MB; reports get more, per transaction. */
const REPORT_WORK_MEM = '64MB';
const percentiles = (alias: string, column: string) =>
  `percentile_cont(0.5) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p50,
   percentile_cont(0.95) WITHIN GROUP (ORDER BY ${column}) AS ${alias}_p95`;

/**
 * The histogram tables (migration ReportRollupLevels) per grouping: of everything, split by the initiator's
 * department, and by initiator and department.
 */
const HISTOGRAMS = (['node', 'assignee'] as const).flatMap((by) =>
  (['', '_department', '_initiator'] as const).map((split) => ({
    table: `report_duration_${by}${split}`,
    group: ['definition_key', by === 'node' ? 'element_id' : 'assignee_id'],
    split: split === '' ? [] : split === '_department' ? ['department'] : ['initiator_id', 'department'],
    levels: split === '_initiator' ? ['m', 'y'] : ['d', 'm', 'y'], // no days per initiator: their edges from the records
  })),
);
/** Every table the triggers keep, in the order they lock them. */
const ROLLUP_TABLES = ['report_instance_day', ...HISTOGRAMS.map((h) => h.table), 'report_work_order']
  .map((t) => `workflow.${t}`)
  .join(', ');
/** Each group is held per day (`d`), month (`m`) and year (`y`); `period` is the level's first day. */
const levels = (list: readonly string[] = ['d', 'm', 'y']) =>
  `(VALUES ${list.map((l) => `('${l}'::"char")`).join(', ')}) l(level)`;
const LEVEL_PERIOD = (day: string) =>
  `CASE l.level WHEN 'd' THEN ${day} WHEN 'm' THEN date_trunc('month', ${day}::timestamp)::date ELSE date_trunc('year', ${day}::timestamp)::date END`;
/**
 * The aggregate rows of a window (alias `r`, `WITH w` of wholeDays): whole years, the whole months outside
 * them, the days outside those; one index range each.
 */
const LEVEL_RANGES = [
  ['y', 'y1', 'y2'],
  ['m', 'm1', 'y1'],
  ['m', 'y2', 'm2'],
  ['d', 'd1', 'm1'],
  ['d', 'm2', 'd2'],
] as const;
const levelRanges = (list: readonly string[] = ['d', 'm', 'y']) =>
  LEVEL_RANGES.filter(([level]) => list.includes(level)).map(
    ([level, lo, hi]) =>
      `r.level = '${level}' AND r.period >= (SELECT ${lo} FROM w) AND r.period < (SELECT ${hi} FROM w)`,
  );

/**
 * The instance of a task or work order `alias`, looked up by id per row: the rows joined to it (window
 * edges, a caller's own rows in partial months) are few, but their ranges come from the window's InitPlan,
 * so the planner cannot see that and may hash all instances instead (OFFSET 0 keeps the lookup).
 */
const INSTANCE_OF = (alias: string) =>
  `SELECT i.id, i.status, i.initiator_id, i.initiator_department_id FROM workflow.process_instance i
    WHERE i.id = ${alias}.instance_id OFFSET 0`;

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
    const claimed = CLAIMED;
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

  /**
   * Makes the daily aggregates hold the business days of `timeZone`: rebuilt from the records when they were
   * built in another zone (or never). The aggregate tables are locked first: the triggers of concurrent
   * writes wait, then apply their change in the new zone. Answers whether it rebuilt.
   */
  async ensureAggregates(timeZone: string): Promise<boolean> {
    const current = (await this.dataSource.query(
      `SELECT time_zone FROM workflow.report_rollup_state WHERE id = 1`,
    )) as { time_zone: string | null }[];
    const rebuilt =
      current[0].time_zone !== timeZone &&
      (await this.dataSource.transaction(async (manager) => {
        await manager.query(`LOCK TABLE ${ROLLUP_TABLES} IN ACCESS EXCLUSIVE MODE`);
        const [state] = (await manager.query(
          `SELECT time_zone FROM workflow.report_rollup_state WHERE id = 1 FOR UPDATE`,
        )) as { time_zone: string | null }[];
        if (state.time_zone === timeZone) return false;
        await manager.query(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
        await manager.query(`UPDATE workflow.report_rollup_state SET time_zone = $1 WHERE id = 1`, [
          timeZone,
        ]);
        await manager.query(`TRUNCATE ${ROLLUP_TABLES}`);
        const day = (time: string) => `(${time} AT TIME ZONE $1)::date`;
        await manager.query(
          `INSERT INTO workflow.report_instance_day (day, definition_key, status, department, n)
           SELECT ${day('started_at')}, definition_key, status, initiator_department_id, count(*)
             FROM workflow.process_instance GROUP BY 1, 2, 3, 4`,
          [timeZone],
        );
        // Durations by the finest key once, then summed into each table and level.
        await manager.query(
          `CREATE TEMPORARY TABLE report_rebuild ON COMMIT DROP AS
           SELECT ${day('ended_at')} AS day, definition_key, ''::varchar AS element_id, ''::varchar AS assignee_id,
                  initiator_id, initiator_department_id AS department, 'i'::"char" AS metric,
                  workflow.report_bucket(${millis('ended_at', 'started_at')}) AS bucket, count(*)::int AS n
             FROM workflow.process_instance WHERE ended_at IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
           UNION ALL
           SELECT ${day('t.ended_at')}, t.definition_key, t.element_id, COALESCE(t.assignee_id, ''),
                  i.initiator_id, i.initiator_department_id, m.metric, workflow.report_bucket(m.ms), count(*)::int
             FROM workflow.task t
             LEFT JOIN workflow.process_instance i ON i.id = t.instance_id
             CROSS JOIN LATERAL (VALUES
               ('w'::"char", ${millis(CLAIMED, 't.created_at')}), ('k'::"char", ${millis('t.ended_at', CLAIMED)}),
               ('t'::"char", ${millis('t.ended_at', 't.created_at')})) m(metric, ms)
            WHERE t.status = 'completed' AND t.ended_at IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
          [timeZone],
        );
        for (const h of HISTOGRAMS) {
          const key = [...h.split, ...h.group, 'metric', 'bucket'];
          await manager.query(
            `INSERT INTO workflow.${h.table} (level, period, ${key.join(', ')}, n)
             SELECT l.level, ${LEVEL_PERIOD('d.day')}, ${key.map((c) => `d.${c}`).join(', ')}, sum(d.n)
               FROM report_rebuild d CROSS JOIN ${levels(h.levels)}
              ${(h.group as readonly string[]).includes('assignee_id') ? `WHERE d.metric <> 'i'` : ''}
              GROUP BY ${['level', 'period', ...key].map((_, i) => i + 1).join(', ')}`,
          );
        }
        await manager.query(
          `INSERT INTO workflow.report_work_order (level, period, definition_key, category_id, department, status, n)
           SELECT l.level, ${LEVEL_PERIOD('d.day')}, d.definition_key, d.category_id, d.department, d.status, sum(d.n)
             FROM (SELECT ${day('w.created_at')} AS day, w.definition_key, w.category_id,
                          w.created_by_department AS department, ${WORK_ORDER_STATUS_SQL} AS status, count(*)::int AS n
                     FROM workflow.work_order w LEFT JOIN workflow.process_instance i ON i.id = w.instance_id
                    GROUP BY 1, 2, 3, 4, 5) d CROSS JOIN ${levels()}
            GROUP BY 1, 2, 3, 4, 5, 6`,
          [timeZone],
        );
        return true;
      }));
    return rebuilt;
  }

  /**
   * Runs a statement over the aggregates, or answers null when they were built in another zone than the
   * report's (a replica started with another TZ_BUSINESS rebuilt them): the caller then reads the records.
   */
  private onAggregates<T>(timeZone: string, sql: string, params: unknown[]): Promise<T[] | null> {
    return this.dataSource.transaction(async (manager) => {
      const [state] = (await manager.query(
        `SELECT time_zone, set_config('work_mem', '${REPORT_WORK_MEM}', true) FROM workflow.report_rollup_state WHERE id = 1`,
      )) as { time_zone: string | null }[];
      if (state.time_zone !== timeZone) return null;
      return manager.query(sql, params) as Promise<T[]>;
    });
  }

  /**
   * Whether the aggregates cover this caller's scope: everything, or departments (`own` scope counts a few
   * rows of one person: the records answer it).
   */
  aggregatesCover(actor: Actor): boolean {
    return seesEverything(actor) || actor.departmentIds.length > 0;
  }

  /**
   * countInstancesByPeriod from the aggregates: the business days wholly inside the window from
   * `report_instance_day`, the partial days at its edges from the records, and for a department-scoped
   * caller their own instances started outside those departments from the records.
   */
  countInstancesFromAggregates(
    filter: ReportFilter,
    period: ReportPeriod,
  ): Promise<InstanceCountRaw[] | null> {
    const q = new SqlFilter();
    const zone = q.param(filter.timeZone);
    const unit = q.param(period);
    const label = q.param(PERIOD_LABEL[period]);
    const window = this.wholeDays(q, filter);
    const key = filter.processKey ? q.param(filter.processKey) : null;
    const departments = seesEverything(filter.actor) ? null : q.param(filter.actor.departmentIds);
    const record = (where: string) =>
      `SELECT date_trunc(${unit}, i.started_at AT TIME ZONE ${zone}) AS p, i.definition_key AS process_key,
              i.status, 1 AS n
         FROM workflow.process_instance i
        WHERE ${where}${key ? ` AND i.definition_key = ${key}` : ''}`;
    const parts = [
      `SELECT date_trunc(${unit}, r.day::timestamp) AS p, r.definition_key AS process_key, r.status, r.n
         FROM workflow.report_instance_day r, w
        WHERE r.day >= w.d1 AND r.day < w.d2${key ? ` AND r.definition_key = ${key}` : ''}
              ${departments ? `AND r.department = ANY(${departments}::text[])` : ''}`,
      ...this.edges(q, filter, 'i.started_at').map((edge) =>
        record(`${edge} AND ${this.scope(q, filter, 'i')}`),
      ),
      ...(departments
        ? [
            record(
              `${this.outsideDepartments(q, filter, 'i', departments)} AND i.started_at >= (SELECT s1 FROM w) AND i.started_at < (SELECT s2 FROM w)`,
            ),
          ]
        : []),
    ];
    return this.onAggregates<InstanceCountRaw>(
      filter.timeZone,
      `${window}
       SELECT to_char(b.p, ${label}) AS period, (b.p AT TIME ZONE ${zone}) AS period_start,
              b.process_key, b.status, sum(b.n)::int AS count
         FROM (${parts.join('\n UNION ALL \n')}) b
        GROUP BY b.p, b.process_key, b.status HAVING sum(b.n) > 0
        ORDER BY 1, 3, 4`,
      q.params,
    );
  }

  /**
   * Histograms of the duration report: per group and measure, the count of each bucket; by process with the
   * ended instances (`i`). Whole days from the histogram table of the grouping (whole years and months from
   * their levels); the partial days at the edges from the records. A caller who does not see everything
   * reads the department table for their departments plus the initiator table for the instances they
   * started outside them (all of theirs with no departments).
   */
  durationHistograms(filter: ReportFilter, by: DurationGroup): Promise<DurationBucketRaw[] | null> {
    const q = new SqlFilter();
    const window = this.wholeDays(q, filter);
    const key = filter.processKey ? q.param(filter.processKey) : null;
    const everyone = seesEverything(filter.actor);
    const departmentIds = everyone ? [] : filter.actor.departmentIds;
    const departments = everyone ? null : q.param(departmentIds);
    const bucket = (ms: string) => `workflow.report_bucket(${ms})`;
    const tasks = (where: string, joinInstance: boolean) =>
      `SELECT t.definition_key, t.element_id, COALESCE(t.assignee_id, '') AS assignee_id, m.metric,
              ${bucket('m.ms')} AS bucket, 1 AS n
         FROM workflow.task t ${joinInstance ? `CROSS JOIN LATERAL (${INSTANCE_OF('t')}) i` : ''}
        CROSS JOIN LATERAL (VALUES
          ('w'::"char", ${millis(CLAIMED, 't.created_at')}), ('k'::"char", ${millis('t.ended_at', CLAIMED)}),
          ('t'::"char", ${millis('t.ended_at', 't.created_at')})) m(metric, ms)
        WHERE t.status = 'completed' AND ${where}${key ? ` AND t.definition_key = ${key}` : ''}`;
    const instances = (where: string) =>
      `SELECT i.definition_key, '' AS element_id, '' AS assignee_id, 'i'::"char" AS metric,
              ${bucket(millis('i.ended_at', 'i.started_at'))} AS bucket, 1 AS n
         FROM workflow.process_instance i
        WHERE i.ended_at IS NOT NULL AND ${where}${key ? ` AND i.definition_key = ${key}` : ''}`;
    const taskScope = () => this.scope(q, filter, 'i'); // bound only where used: unused parameters have no type
    const histograms = `workflow.report_duration_${by === 'assignee' ? 'assignee' : 'node'}`;
    const fromTable = (table: string, where: string, list?: readonly string[]) =>
      levelRanges(list).map(
        (range) =>
          `SELECT r.definition_key, ${by === 'assignee' ? `'' AS element_id, r.assignee_id` : `r.element_id, '' AS assignee_id`},
                  r.metric, r.bucket, r.n
             FROM ${table} r
            WHERE ${range}${key ? ` AND r.definition_key = ${key}` : ''} AND ${where}
                  ${by === 'node' ? `AND r.metric <> 'i'` : ''}`,
      );
    const parts: string[] = [];
    let mine = '';
    if (!departments) parts.push(...fromTable(histograms, 'TRUE'));
    else {
      if (departmentIds.length > 0)
        parts.push(...fromTable(`${histograms}_department`, `r.department = ANY(${departments}::text[])`));
      // their own instances outside their departments (all of theirs with no departments): whole months
      // from the initiator table, the days of partial months from the records by initiator
      parts.push(
        ...fromTable(
          `${histograms}_initiator`,
          `r.initiator_id = ${q.param(filter.actor.id)} AND (r.department IS NULL OR NOT (r.department = ANY(${departments}::text[])))`,
          ['m', 'y'],
        ),
      );
      const me = q.param(filter.actor.id);
      const days = (time: string) => [
        `${time} >= (SELECT s1 FROM w) AND ${time} < (SELECT sm1 FROM w)`,
        `${time} >= (SELECT sm2 FROM w) AND ${time} < (SELECT s2 FROM w)`,
      ];
      parts.push(
        ...days('t.ended_at').map((range) =>
          tasks(
            `t.initiator_id = ${me} AND ${this.outsideDepartments(q, filter, 'i', departments)} AND ${range}`,
            true,
          ),
        ),
      );
      if (by === 'process') {
        // found by initiator first: the planner cannot see how short these ranges are
        mine = `, mine AS MATERIALIZED (
            SELECT i.definition_key, i.started_at, i.ended_at FROM workflow.process_instance i
             WHERE ${this.outsideDepartments(q, filter, 'i', departments)})`;
        parts.push(
          ...days('i.ended_at').map(
            (range) =>
              `SELECT i.definition_key, '' AS element_id, '' AS assignee_id, 'i'::"char" AS metric,
                      ${bucket(millis('i.ended_at', 'i.started_at'))} AS bucket, 1 AS n
                 FROM mine i WHERE ${range}${key ? ` AND i.definition_key = ${key}` : ''}`,
          ),
        );
      }
    }
    parts.push(
      ...this.edges(q, filter, 't.ended_at').map((edge) =>
        tasks(`${edge} AND ${taskScope()}`, departments !== null),
      ),
    );
    if (by === 'process')
      parts.push(
        ...this.edges(q, filter, 'i.ended_at').map((edge) => instances(`${edge} AND ${taskScope()}`)),
      );
    const group = {
      process: 'h.definition_key',
      node: 'h.definition_key, h.element_id',
      assignee: 'h.assignee_id',
    }[by];
    const columns = {
      process: `h.definition_key, '' AS element_id, '' AS assignee_id`,
      node: `h.definition_key, h.element_id, '' AS assignee_id`,
      assignee: `'' AS definition_key, '' AS element_id, h.assignee_id`,
    }[by];
    return this.onAggregates<DurationBucketRaw>(
      filter.timeZone,
      `${window}${mine}
       SELECT ${columns}, h.metric::text AS metric, h.bucket::int AS bucket, sum(h.n)::int AS n
         FROM (${parts.join('\n UNION ALL \n')}) h
        GROUP BY ${group}, h.metric, h.bucket HAVING sum(h.n) > 0
        ORDER BY ${group}, h.metric, h.bucket`,
      q.params,
    );
  }

  /** Display names of duration groups, looked up once per group as the records path does. */
  async durationNames(by: DurationGroup, keys: { definitionKey: string; elementId: string }[]) {
    if (by === 'assignee' || keys.length === 0) return new Map<string, string | null>();
    if (by === 'process') return this.processNames(keys.map((k) => k.definitionKey));
    const rows = (await this.dataSource.query(
      `SELECT k.key || ':' || k.element AS key,
         (SELECT n.name FROM workflow.task n WHERE n.status = 'completed' AND n.definition_key = k.key
             AND n.element_id = k.element LIMIT 1) AS name
         FROM unnest($1::text[], $2::text[]) k(key, element)`,
      [keys.map((k) => k.definitionKey), keys.map((k) => k.elementId)],
    )) as { key: string; name: string | null }[];
    return new Map(rows.map((r) => [r.key, r.name]));
  }

  /** The name people know a process by (its newest version's), by key. */
  async processNames(keys: string[]): Promise<Map<string, string | null>> {
    if (keys.length === 0) return new Map();
    const rows = (await this.dataSource.query(
      `SELECT k.key, COALESCE(
         (SELECT d.name FROM workflow.process_definition d WHERE d.key = k.key ORDER BY d.version DESC LIMIT 1),
         (SELECT p.process_name FROM workflow.process_instance p WHERE p.definition_key = k.key LIMIT 1)) AS name
         FROM unnest($1::text[]) k(key)`,
      [[...new Set(keys)]],
    )) as { key: string; name: string | null }[];
    return new Map(rows.map((r) => [r.key, r.name]));
  }

  /**
   * `WITH w`: the business days wholly inside the window, [d1, d2), and their instants [s1, s2); with no
   * whole day d2 = d1, so the two edges below do not overlap. Inside them the whole months [m1, m2) and
   * inside those the whole years [y1, y2) (empty ranges collapse onto d2 and m2); [sm1, sm2) are the
   * instants of the whole months.
   */
  private wholeDays(q: SqlFilter, filter: ReportFilter): string {
    const zone = q.param(filter.timeZone);
    const from = q.param(filter.window.from ?? null);
    const to = q.param(filter.window.to ?? null);
    const ceil = (unit: string, d: string) =>
      `(date_trunc('${unit}', (${d} - 1)::timestamp) + interval '1 ${unit}')::date`;
    const floor = (unit: string, d: string) => `date_trunc('${unit}', ${d}::timestamp)::date`;
    return `WITH w0 AS (
        SELECT COALESCE(date_trunc('day', (${from}::timestamptz AT TIME ZONE ${zone}) + interval '1 day' - interval '1 microsecond')::date, '-infinity'::date) AS d1,
               COALESCE((${to}::timestamptz AT TIME ZONE ${zone})::date, 'infinity'::date) AS d2),
      w1 AS (SELECT d1, greatest(d1, d2) AS d2, ${ceil('month', 'd1')} AS cm, ${floor('month', 'greatest(d1, d2)')} AS fm FROM w0),
      w2 AS (SELECT d1, d2, CASE WHEN cm < fm THEN cm ELSE d2 END AS m1, CASE WHEN cm < fm THEN fm ELSE d2 END AS m2 FROM w1),
      w3 AS (SELECT *, ${ceil('year', 'm1')} AS cy, ${floor('year', 'm2')} AS fy FROM w2),
      w AS (SELECT d1, d2, m1, m2, CASE WHEN cy < fy THEN cy ELSE m2 END AS y1, CASE WHEN cy < fy THEN fy ELSE m2 END AS y2,
                   d1::timestamp AT TIME ZONE ${zone} AS s1, d2::timestamp AT TIME ZONE ${zone} AS s2,
                   m1::timestamp AT TIME ZONE ${zone} AS sm1, m2::timestamp AT TIME ZONE ${zone} AS sm2 FROM w3)`;
  }

  /** The partial days at the window's edges, as two ranges of `time` (an index range each). */
  private edges(q: SqlFilter, filter: ReportFilter, time: string): string[] {
    const { from, to } = filter.window;
    const edges: string[] = [];
    if (from)
      edges.push(
        `${time} >= ${q.param(from)} AND ${time} < (SELECT s1 FROM w)${to ? ` AND ${time} < ${q.param(to)}` : ''}`,
      );
    if (to)
      edges.push(
        `${time} >= (SELECT s2 FROM w) AND ${time} < ${q.param(to)}${from ? ` AND ${time} >= ${q.param(from)}` : ''}`,
      );
    return edges;
  }

  /** The caller's full report scope on instance alias `alias` (the rule of common/visibility.ts), or TRUE. */
  private scope(q: SqlFilter, filter: ReportFilter, alias: string): string {
    return (
      scopedRowsSql(filter.actor, `${alias}.initiator_id`, `${alias}.initiator_department_id`, (value) =>
        q.param(value),
      ) ?? 'TRUE'
    );
  }

  /** What a department-scoped caller counts that the department aggregates miss: their own instances elsewhere. */
  private outsideDepartments(q: SqlFilter, filter: ReportFilter, alias: string, departments: string): string {
    return `${alias}.initiator_id::text = ${q.param(filter.actor.id)}
      AND (${alias}.initiator_department_id IS NULL OR NOT (${alias}.initiator_department_id::text = ANY(${departments}::text[])))`;
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

  /**
   * countWorkOrders from `report_work_order` (same split as durationHistograms): whole days (years, months)
   * from the aggregate, the partial days from the records, and for a caller who does not see everything
   * their departments' rows plus the work orders they created outside them (by creator, from the records).
   */
  countWorkOrdersFromAggregates(filter: ReportFilter): Promise<WorkOrderCountRaw[] | null> {
    const q = new SqlFilter();
    const window = this.wholeDays(q, filter);
    const key = filter.processKey ? q.param(filter.processKey) : null;
    const everyone = seesEverything(filter.actor);
    const departments = everyone ? null : q.param(filter.actor.departmentIds);
    const record = (where: string) =>
      `SELECT wo.category_id, ${WORK_ORDER_STATUS_SQL} AS status, 1 AS n
         FROM workflow.work_order wo LEFT JOIN LATERAL (${INSTANCE_OF('wo')}) i ON TRUE
        WHERE ${where}${key ? ` AND wo.definition_key = ${key}` : ''}`;
    const scope = () =>
      scopedRowsSql(filter.actor, 'wo.created_by', 'wo.created_by_department', (value) => q.param(value)) ??
      'TRUE';
    const parts =
      everyone || filter.actor.departmentIds.length > 0
        ? levelRanges().map(
            (range) =>
              `SELECT r.category_id, r.status, r.n FROM workflow.report_work_order r
                WHERE ${range}${key ? ` AND r.definition_key = ${key}` : ''}
                      ${departments ? `AND r.department::text = ANY(${departments}::text[])` : ''}`,
          )
        : [];
    parts.push(...this.edges(q, filter, 'wo.created_at').map((edge) => record(`${edge} AND ${scope()}`)));
    if (departments)
      parts.push(
        record(`wo.created_by::text = ${q.param(filter.actor.id)}
          AND (wo.created_by_department IS NULL OR NOT (wo.created_by_department::text = ANY(${departments}::text[])))
          AND wo.created_at >= (SELECT s1 FROM w) AND wo.created_at < (SELECT s2 FROM w)`),
      );
    return this.onAggregates<WorkOrderCountRaw>(
      filter.timeZone,
      `${window}
       SELECT b.category_id::text AS category_id, c.name AS category_name, b.status, b.count
         FROM (SELECT h.category_id, h.status, sum(h.n)::int AS count
                 FROM (${parts.join('\n UNION ALL \n')}) h
                GROUP BY 1, 2 HAVING sum(h.n) > 0) b
         LEFT JOIN workflow.work_order_category c ON c.id = b.category_id
        ORDER BY b.category_id NULLS FIRST, b.status`,
      q.params,
    );
  }

  /** Restricts tasks to instances the actor may report on (joined as `si`); false when no join is needed. */
  private scopedJoin(where: SqlFilter, actor: Actor): boolean {
    const before = where.params.length;
    scopeInstances(where, actor, 'si.initiator_id', 'si.initiator_department_id');
    return where.params.length > before;
  }
}
