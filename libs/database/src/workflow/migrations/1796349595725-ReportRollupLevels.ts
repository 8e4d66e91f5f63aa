import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ReportAggregates1796322559603 } from './1796322559603-ReportAggregates';

/**
 * The histogram tables: a report group's columns, and what else they are split by — nothing (callers who see
 * everything), the initiator's department (department-scoped callers), or the initiator and their department
 * (a caller's own instances outside their departments).
 */
const REPORT_HISTOGRAMS = (['node', 'assignee'] as const).flatMap((by) =>
  (['', '_department', '_initiator'] as const).map((split) => ({
    table: `report_duration_${by}${split}`,
    group: ['definition_key', by === 'node' ? 'element_id' : 'assignee_id'],
    split: split === '' ? [] : split === '_department' ? ['department'] : ['initiator_id', 'department'],
    // per initiator, days would hold about a row per task: their partial months are read from the records
    levels: split === '_initiator' ? ['m', 'y'] : ['d', 'm', 'y'],
  })),
);

/**
 * Report pre-aggregates per grouping and calendar level (issue 17 aim 4), replacing `report_duration_day`
 * (day × process × node × assignee × department: as many rows as tasks) of migration ReportAggregates:
 * - duration histograms (same 1 % buckets) in one table per report grouping — process and node in
 *   `report_duration_node` (instances' start → end as `element_id` ''), assignee in `report_duration_assignee`
 *   — and the same two split by initiator department, and by initiator and department, so a department-scoped
 *   caller reads their departments' rows plus their own rows outside them, and an `own` caller their own;
 * - `report_work_order`: work orders per creation day, process, category, creator's department and status;
 *   the status follows the instance, so the instance triggers move the counts when an instance's status changes;
 * - every table holds each group at three levels (`level` d/m/y, `period` the first day), so a window
 *   reads whole years, whole months at its ends and days only within the partial months (the initiator
 *   tables months and years only);
 * - indexes on the initiator / creator: a scoped caller's own instances, tasks and work orders by time.
 * Kept by the statement-level triggers of ReportAggregates (their functions replaced here, plus triggers on
 * `work_order`). `report_rollup_state` is reset, so the workflow app rebuilds everything at its next boot.
 */
export class ReportRollupLevels1796349595725 implements MigrationInterface {
  name = 'ReportRollupLevels1796349595725';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "workflow"."report_duration_day"`);
    for (const h of REPORT_HISTOGRAMS) {
      const split = h.split.map((c) => `"${c}" character varying(64), `).join('');
      const columns = h.group
        .map((c) => `"${c}" character varying(${c === 'assignee_id' ? 64 : 255}) NOT NULL`)
        .join(', ');
      await queryRunner.query(
        `CREATE TABLE "workflow"."${h.table}" (${split}"level" "char" NOT NULL, "period" date NOT NULL, ${columns}, "metric" "char" NOT NULL, "bucket" smallint NOT NULL, "n" integer NOT NULL)`,
      );
      const key = [...h.split, 'level', 'period', ...h.group, 'metric', 'bucket'].map((c) => `"${c}"`);
      await queryRunner.query(
        `CREATE UNIQUE INDEX "uq_${h.table}" ON "workflow"."${h.table}" (${key.join(', ')})${h.split.length ? ' NULLS NOT DISTINCT' : ''}`,
      );
    }
    await queryRunner.query(
      `CREATE TABLE "workflow"."report_work_order" ("level" "char" NOT NULL, "period" date NOT NULL, "definition_key" character varying(255) NOT NULL, "category_id" bigint, "department" bigint, "status" character varying(16) NOT NULL, "n" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_report_work_order" ON "workflow"."report_work_order" ("level", "period", "definition_key", "category_id", "department", "status") NULLS NOT DISTINCT`,
    );
    // A department-scoped caller's own rows outside their departments, by owner.
    await queryRunner.query(
      `CREATE INDEX "ix_instance_report_initiator" ON "workflow"."process_instance" ("initiator_id", "started_at") INCLUDE ("definition_key", "status", "initiator_department_id", "ended_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_task_report_initiator" ON "workflow"."task" ("initiator_id", "ended_at") INCLUDE ("definition_key", "element_id", "assignee_id", "created_at", "claimed_at", "instance_id") WHERE status = 'completed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_work_order_report_creator" ON "workflow"."work_order" ("created_by", "created_at") INCLUDE ("definition_key", "category_id", "created_by_department", "instance_id")`,
    );
    for (const table of ['process_instance', 'task'] as const)
      for (const op of ['insert', 'update', 'delete'] as const)
        await queryRunner.query(rollupFunction(table, op));
    for (const op of ['insert', 'update', 'delete'] as const) {
      await queryRunner.query(rollupFunction('work_order', op));
      await queryRunner.query(
        `CREATE TRIGGER "report_rollup_${op}" AFTER ${op.toUpperCase()} ON "workflow"."work_order" REFERENCING ${REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION "workflow"."report_rollup_work_order_${op}"()`,
      );
    }
    // Rebuilt by the workflow app at boot (ReportsRepository.ensureAggregates).
    await queryRunner.query(`UPDATE "workflow"."report_rollup_state" SET "time_zone" = NULL`);
  }

  /** Back to ReportAggregates as it was created (rebuilt at the next boot). */
  async down(queryRunner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER "report_rollup_${op}" ON "workflow"."work_order"`);
      await queryRunner.query(`DROP FUNCTION "workflow"."report_rollup_work_order_${op}"()`);
    }
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_report_creator"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_report_initiator"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_report_initiator"`);
    await queryRunner.query(`DROP TABLE "workflow"."report_work_order"`);
    for (const h of REPORT_HISTOGRAMS) await queryRunner.query(`DROP TABLE "workflow"."${h.table}"`);
    // up() dropped it; ReportAggregates' down() drops it again before its up() creates it as it was
    await queryRunner.query(`CREATE TABLE "workflow"."report_duration_day" ("n" integer)`);
    const previous = new ReportAggregates1796322559603();
    await previous.down(queryRunner);
    await previous.up(queryRunner);
  }
}

/** Every table the triggers keep (locked in this order by triggers and the rebuild). */
const ROLLUP_TABLES = [
  'report_instance_day',
  ...REPORT_HISTOGRAMS.map((h) => h.table),
  'report_work_order',
] as const;

const REFERENCING = {
  insert: 'NEW TABLE AS new_rows',
  update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
  delete: 'OLD TABLE AS old_rows',
} as const;

type Side = { rows: 'new_rows' | 'old_rows'; sign: 1 | -1 };

function sidesOf(op: 'insert' | 'update' | 'delete'): Side[] {
  return [
    ...(op !== 'delete' ? [{ rows: 'new_rows', sign: 1 } as const] : []),
    ...(op !== 'insert' ? [{ rows: 'old_rows', sign: -1 } as const] : []),
  ];
}

/** Milliseconds between two timestamptz expressions (float8). */
const ms = (to: string, from: string) => `date_part('epoch', ${to} - ${from}) * 1000`;

/** `period` of level `l.level` for the business day `day`. */
const period = (day: string) =>
  `CASE l.level WHEN 'd' THEN ${day} WHEN 'm' THEN date_trunc('month', ${day}::timestamp)::date ELSE date_trunc('year', ${day}::timestamp)::date END`;
const levels = (list: readonly string[] = ['d', 'm', 'y']) =>
  `(VALUES ${list.map((l) => `('${l}'::"char")`).join(', ')}) l(level)`;

/** Netted upsert of `delta` (columns day, …key, n) into every level of `table` (unique on level, period, key). */
function upsert(
  table: string,
  key: string[],
  delta: string,
  where = 'TRUE',
  levelList?: readonly string[],
): string {
  const all = ['level', 'period', ...key];
  return `INSERT INTO workflow.${table} AS r (${all.join(', ')}, n)
    SELECT l.level, ${period('d.day')}, ${key.map((c) => `d.${c}`).join(', ')}, sum(d.n)
      FROM ${delta} d CROSS JOIN ${levels(levelList)}
     WHERE ${where}
     GROUP BY ${all.map((_, i) => i + 1).join(', ')} HAVING sum(d.n) <> 0
     ORDER BY ${all.map((_, i) => i + 1).join(', ')}
    ON CONFLICT (${all.join(', ')}) DO UPDATE SET n = r.n + EXCLUDED.n`;
}

/**
 * Durations of `delta` (day, definition_key, element_id, assignee_id, initiator_id, department, metric, bucket, n; the
 * instances' metric `i` with element and assignee '') into the four histogram tables.
 */
function histogramUpserts(delta = 'delta'): string[] {
  return REPORT_HISTOGRAMS.map((h) =>
    upsert(
      h.table,
      [...h.split, ...h.group, 'metric', 'bucket'],
      delta,
      (h.group as readonly string[]).includes('assignee_id') ? `d.metric <> 'i'` : 'TRUE',
      h.levels,
    ),
  );
}

/** The work-order status of instance status `status` (NULL: no instance), as WORK_ORDER_STATUS_SQL. */
const orderStatus = (status: string) =>
  `CASE WHEN ${status} IS NULL THEN 'draft' WHEN ${status} IN ('running', 'completed', 'rejected') THEN ${status} ELSE 'discarded' END`;

/** A work order's group columns (alias `w`), its status and a count. */
const orderRow = (status: string, sign: number) =>
  `(w.created_at AT TIME ZONE zone)::date AS day, w.definition_key, w.category_id,
   w.created_by_department AS department, ${orderStatus(status)}::varchar(16) AS status, ${sign} AS n`;

const ORDER_KEY = ['definition_key', 'category_id', 'department', 'status'];

/**
 * The trigger function of `op` on `table`: every aggregate the statement's rows move. `lean` (migration
 * ReportRollupLean) is the cheaper form: see {@link leanRollupFunction}.
 */
export function rollupFunction(
  table: 'process_instance' | 'task' | 'work_order',
  op: 'insert' | 'update' | 'delete',
  lean = false,
): string {
  const sides = sidesOf(op);
  const union = (select: (s: Side) => string) => sides.map(select).join(' UNION ALL ');
  const taskMetrics = `CROSS JOIN LATERAL (VALUES
      ('w'::"char", ${ms('COALESCE(t.claimed_at, t.ended_at)', 't.created_at')}),
      ('k'::"char", ${ms('t.ended_at', 'COALESCE(t.claimed_at, t.ended_at)')}),
      ('t'::"char", ${ms('t.ended_at', 't.created_at')})) m(metric, ms)`;
  /** Netted per group of the finest key: a statement that changes nothing reported writes nothing. */
  const delta = (rows: string) => `delta AS MATERIALIZED (
      SELECT day, definition_key, element_id, assignee_id, initiator_id, department, metric, bucket, sum(n) AS n
        FROM (${rows}) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0)`;
  // One statement per table, in ROLLUP_TABLES order, each upserting in key order: every trigger takes its
  // row locks in one global order, so concurrent commands touching the same aggregate rows wait, never
  // deadlock. (Data-modifying CTEs of one statement run in no defined order; an unordered GROUP BY
  // neither.) The read-only `delta` is repeated in each statement that reads it.
  const chain = (ctes: string[], statements: string[]) =>
    statements.map((s) => (s.includes(' delta d') ? `WITH ${ctes.join(',\n')}\n${s}` : s)).join(';\n  ');
  // The durations a statement's rows add (+1) and remove (-1), per side (see histogramUpserts).
  const taskDurations = union(
    (s) => `SELECT (t.ended_at AT TIME ZONE zone)::date AS day, t.definition_key, t.element_id,
                  COALESCE(t.assignee_id, '') AS assignee_id, i.initiator_id, i.initiator_department_id AS department, m.metric,
                  workflow.report_bucket(m.ms) AS bucket, ${s.sign} AS n
             FROM ${s.rows} t LEFT JOIN workflow.process_instance i ON i.id = t.instance_id ${taskMetrics}
            WHERE t.status = 'completed' AND t.ended_at IS NOT NULL`,
  );
  const instanceDurations = union(
    (s) => `SELECT (ended_at AT TIME ZONE zone)::date AS day, definition_key, ''::varchar AS element_id,
                  ''::varchar AS assignee_id, initiator_id, initiator_department_id AS department, 'i'::"char" AS metric,
                  workflow.report_bucket(${ms('ended_at', 'started_at')}) AS bucket, ${s.sign} AS n
             FROM ${s.rows} WHERE ended_at IS NOT NULL`,
  );
  const instanceDay = `INSERT INTO workflow.report_instance_day AS r (day, definition_key, status, department, n)
           SELECT day, definition_key, status, department, sum(n)
             FROM (${union(
               (s) => `SELECT (started_at AT TIME ZONE zone)::date AS day, definition_key, status,
                              initiator_department_id AS department, ${s.sign} AS n FROM ${s.rows}`,
             )}) d
            GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0 ORDER BY 1, 2, 3, 4
           ON CONFLICT (day, definition_key, status, department) DO UPDATE SET n = r.n + EXCLUDED.n`;
  let body: string;
  if (table === 'task') {
    if (lean) return leanRollupFunction(table, op, taskDurations);
    body = chain([delta(taskDurations)], histogramUpserts());
  } else if (table === 'process_instance') {
    // Work orders follow their instance's status: the ones of instances whose status changed (or that
    // appeared or went: no instance counts as 'draft') move between statuses.
    const orders =
      op === 'update'
        ? `SELECT ${orderRow('o.status', -1)} FROM old_rows o JOIN new_rows n ON n.id = o.id
             JOIN workflow.work_order w ON w.instance_id = o.id WHERE n.status IS DISTINCT FROM o.status
           UNION ALL
           SELECT ${orderRow('n.status', 1)} FROM old_rows o JOIN new_rows n ON n.id = o.id
             JOIN workflow.work_order w ON w.instance_id = n.id WHERE n.status IS DISTINCT FROM o.status`
        : union(
            (
              s,
            ) => `SELECT ${orderRow('NULL::text', -s.sign)} FROM ${s.rows} x JOIN workflow.work_order w ON w.instance_id = x.id
               UNION ALL
               SELECT ${orderRow('x.status', s.sign)} FROM ${s.rows} x JOIN workflow.work_order w ON w.instance_id = x.id`,
          );
    const orderUpsert = upsert('report_work_order', ORDER_KEY, `(${orders})`);
    if (lean) return leanRollupFunction(table, op, instanceDurations, [instanceDay], [orderUpsert]);
    body = chain([delta(instanceDurations)], [instanceDay, ...histogramUpserts(), orderUpsert]);
  } else {
    // A work order counts under its instance's current status. The instances of the changed rows are
    // locked (FOR SHARE) and read as last committed, so a concurrent status change either came first
    // (its trigger moved this order's old row) or waits and then moves the new one. Updates that change
    // no reported column (number, form data, close, evaluation) touch nothing.
    const changed =
      op === 'update'
        ? `SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
            WHERE (n.created_at, n.definition_key, n.category_id, n.created_by_department, n.instance_id)
                  IS DISTINCT FROM (o.created_at, o.definition_key, o.category_id, o.created_by_department, o.instance_id)`
        : `SELECT id FROM ${sides[0].rows}`;
    body = `WITH changed AS MATERIALIZED (${changed}),
      instances AS MATERIALIZED (
        SELECT i.id, i.status FROM workflow.process_instance i
         WHERE i.id IN (${union((s) => `SELECT instance_id FROM ${s.rows} WHERE id IN (SELECT id FROM changed)`)})
           FOR SHARE)
      ${upsert(
        'report_work_order',
        ORDER_KEY,
        `(${union(
          (s) => `SELECT ${orderRow('i.status', s.sign)} FROM ${s.rows} w
             LEFT JOIN instances i ON i.id = w.instance_id WHERE w.id IN (SELECT id FROM changed)`,
        )})`,
      )}`;
  }
  // The aggregate tables are locked before the zone is read: a rebuild (ACCESS EXCLUSIVE) makes this
  // wait, then the change is applied in the zone the rebuild wrote.
  return `CREATE OR REPLACE FUNCTION "workflow"."report_rollup_${table}_${op}"() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  zone text;
BEGIN
  LOCK TABLE ${ROLLUP_TABLES.map((t) => `workflow.${t}`).join(', ')} IN ROW EXCLUSIVE MODE;
  SELECT time_zone INTO zone FROM workflow.report_rollup_state WHERE id = 1;
  IF zone IS NULL THEN RETURN NULL; END IF;
  ${body};
  RETURN NULL;
END
$body$`;
}

/** A row of the durations delta (histogramUpserts' columns), kept in a variable by the lean triggers. */
export const REPORT_DELTA_TYPE = `CREATE TYPE "workflow"."report_delta" AS (day date, definition_key varchar, element_id varchar,
  assignee_id varchar, initiator_id varchar, department varchar, metric "char", bucket smallint, n bigint)`;

/**
 * What a statement must change for the aggregates to move: a completed task on either side; an instance
 * inserted or deleted, or updated in a column the instance triggers read (id, start, end, process, status,
 * initiator, department). Most statements are neither (a task created or claimed, a step's instance update).
 */
function reportedChange(table: 'process_instance' | 'task', op: 'insert' | 'update' | 'delete'): string {
  if (table === 'task')
    return sidesOf(op)
      .map((s) => `EXISTS (SELECT 1 FROM ${s.rows} WHERE status = 'completed' AND ended_at IS NOT NULL)`)
      .join(' OR ');
  if (op !== 'update') return 'TRUE';
  const cols = (a: string) =>
    ['started_at', 'ended_at', 'definition_key', 'status', 'initiator_id', 'initiator_department_id']
      .map((c) => `${a}.${c}`)
      .join(', ');
  return `EXISTS (SELECT 1 FROM new_rows n FULL JOIN old_rows o ON o.id = n.id
                   WHERE n.id IS NULL OR o.id IS NULL OR (${cols('n')}) IS DISTINCT FROM (${cols('o')}))`;
}

/**
 * The cheaper form of the instance and task triggers (migration ReportRollupLean), writing the same rows in
 * the same lock order: a statement that changes nothing reported returns before it locks or reads anything,
 * and the durations delta is computed once into a variable (not once per histogram table), the histogram
 * upserts skipped when it is empty. `before` and `after` are the statements around the histograms
 * (ROLLUP_TABLES order).
 */
function leanRollupFunction(
  table: 'process_instance' | 'task',
  op: 'insert' | 'update' | 'delete',
  durations: string,
  before: string[] = [],
  after: string[] = [],
): string {
  const statements = (list: string[]) => list.map((s) => `${s};`).join('\n  ');
  return `CREATE OR REPLACE FUNCTION "workflow"."report_rollup_${table}_${op}"() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  zone text;
  deltas workflow.report_delta[];
BEGIN
  IF NOT (${reportedChange(table, op)}) THEN RETURN NULL; END IF;
  LOCK TABLE ${ROLLUP_TABLES.map((t) => `workflow.${t}`).join(', ')} IN ROW EXCLUSIVE MODE;
  SELECT time_zone INTO zone FROM workflow.report_rollup_state WHERE id = 1;
  IF zone IS NULL THEN RETURN NULL; END IF;
  SELECT array_agg(ROW(day, definition_key, element_id, assignee_id, initiator_id, department, metric, bucket, n)::workflow.report_delta)
    INTO deltas
    FROM (SELECT day, definition_key, element_id, assignee_id, initiator_id, department, metric, bucket, sum(n) AS n
            FROM (${durations}) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(n) <> 0) d;
  ${statements(before)}
  IF deltas IS NOT NULL THEN
  ${statements(histogramUpserts('unnest(deltas)'))}
  END IF;
  ${statements(after)}
  RETURN NULL;
END
$body$`;
}
