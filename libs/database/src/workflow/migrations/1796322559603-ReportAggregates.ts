import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Daily pre-aggregates of the process reports (issue 17 aim 4), kept in the writing transaction by
 * statement-level triggers with transition tables, so the engine's code does not change:
 * - `report_instance_day`: instances per business day of the start, process, status and initiator department;
 * - `report_duration_day`: log-bucketed histograms (1 % relative error) per business day of the end,
 *   process, node, assignee, initiator department and measure: task waiting (`w`), working (`k`) and
 *   total (`t`) time of completed tasks, and start → end time of ended instances (`i`).
 * An update that changes nothing reported (most of the engine's updates) nets out to no write. Rows whose
 * count drops to zero stay (readers skip them). The business day needs TZ_BUSINESS, which the workflow app
 * knows: `report_rollup_state` holds the zone the aggregates were built in (NULL: not built, triggers idle);
 * the app rebuilds them at boot when its zone differs.
 */
export class ReportAggregates1796322559603 implements MigrationInterface {
  name = 'ReportAggregates1796322559603';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."report_rollup_state" ("id" smallint PRIMARY KEY CHECK ("id" = 1), "time_zone" character varying(64))`,
    );
    await queryRunner.query(
      `INSERT INTO "workflow"."report_rollup_state" ("id", "time_zone") VALUES (1, NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."report_instance_day" ("day" date NOT NULL, "definition_key" character varying(255) NOT NULL, "status" character varying(16) NOT NULL, "department" character varying(64), "n" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_report_instance_day" ON "workflow"."report_instance_day" ("day", "definition_key", "status", "department") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."report_duration_day" ("day" date NOT NULL, "definition_key" character varying(255) NOT NULL, "element_id" character varying(255) NOT NULL, "assignee_id" character varying(64) NOT NULL, "department" character varying(64), "metric" "char" NOT NULL, "bucket" smallint NOT NULL, "n" integer NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_report_duration_day" ON "workflow"."report_duration_day" ("day", "definition_key", "element_id", "assignee_id", "department", "metric", "bucket") NULLS NOT DISTINCT`,
    );
    // The bucket of a duration in ms: 0 below 1 ms, else i ≥ 1 for [γ^(i-1), γ^i) with γ = 1.01 / 0.99,
    // whose midpoint 2γ^i / (γ + 1) is within 1 % of every value in it (apps/workflow/src/reports/histogram.ts).
    await queryRunner.query(`CREATE FUNCTION "workflow"."report_bucket"(ms double precision) RETURNS smallint
      LANGUAGE sql IMMUTABLE PARALLEL SAFE
      AS $$ SELECT CASE WHEN ms < 1 THEN 0 ELSE least(32767, 1 + floor(ln(ms) / ln(101.0 / 99.0)))::smallint END $$`);
    // Edges of the windows and the records outside a department scope are read from the records by time.
    await queryRunner.query(
      `CREATE INDEX "ix_task_report_ended" ON "workflow"."task" ("ended_at") INCLUDE ("definition_key", "element_id", "assignee_id", "created_at", "claimed_at", "instance_id") WHERE status = 'completed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_report_started" ON "workflow"."process_instance" ("started_at") INCLUDE ("definition_key", "status", "initiator_id", "initiator_department_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_report_ended_at" ON "workflow"."process_instance" ("ended_at") INCLUDE ("definition_key", "started_at", "initiator_id", "initiator_department_id") WHERE ended_at IS NOT NULL`,
    );
    for (const table of ['process_instance', 'task'] as const)
      for (const op of ['insert', 'update', 'delete'] as const) await this.trigger(queryRunner, table, op);
  }

  private async trigger(
    queryRunner: QueryRunner,
    table: 'process_instance' | 'task',
    op: 'insert' | 'update' | 'delete',
  ): Promise<void> {
    const sides = [
      ...(op !== 'delete' ? [{ rows: 'new_rows', sign: 1 }] : []),
      ...(op !== 'insert' ? [{ rows: 'old_rows', sign: -1 }] : []),
    ];
    const ms = (to: string, from: string) => `date_part('epoch', ${to} - ${from}) * 1000`;
    const durations = (select: (rows: string, sign: number) => string) =>
      `INSERT INTO workflow.report_duration_day AS r (day, definition_key, element_id, assignee_id, department, metric, bucket, n)
       SELECT day, definition_key, element_id, assignee_id, department, metric, bucket, sum(n)
         FROM (${sides.map((s) => select(s.rows, s.sign)).join(' UNION ALL ')}) d
        GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(n) <> 0
       ON CONFLICT (day, definition_key, element_id, assignee_id, department, metric, bucket) DO UPDATE SET n = r.n + EXCLUDED.n`;
    const body =
      table === 'process_instance'
        ? `WITH counted AS (
             INSERT INTO workflow.report_instance_day AS r (day, definition_key, status, department, n)
             SELECT day, definition_key, status, department, sum(n)
               FROM (${sides
                 .map(
                   (s) => `SELECT (started_at AT TIME ZONE zone)::date AS day, definition_key, status,
                                  initiator_department_id AS department, ${s.sign} AS n FROM ${s.rows}`,
                 )
                 .join(' UNION ALL ')}) d
              GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
             ON CONFLICT (day, definition_key, status, department) DO UPDATE SET n = r.n + EXCLUDED.n
           )
           ${durations(
             (
               rows,
               sign,
             ) => `SELECT (ended_at AT TIME ZONE zone)::date AS day, definition_key, ''::text AS element_id,
                    ''::text AS assignee_id, initiator_department_id AS department, 'i'::"char" AS metric,
                    workflow.report_bucket(${ms('ended_at', 'started_at')}) AS bucket, ${sign} AS n
               FROM ${rows} WHERE ended_at IS NOT NULL`,
           )}`
        : durations(
            (
              rows,
              sign,
            ) => `SELECT (t.ended_at AT TIME ZONE zone)::date AS day, t.definition_key, t.element_id,
                   COALESCE(t.assignee_id, '') AS assignee_id, i.initiator_department_id AS department, m.metric,
                   workflow.report_bucket(m.ms) AS bucket, ${sign} AS n
              FROM ${rows} t
              LEFT JOIN workflow.process_instance i ON i.id = t.instance_id
              CROSS JOIN LATERAL (VALUES
                ('w'::"char", ${ms('COALESCE(t.claimed_at, t.ended_at)', 't.created_at')}),
                ('k'::"char", ${ms('t.ended_at', 'COALESCE(t.claimed_at, t.ended_at)')}),
                ('t'::"char", ${ms('t.ended_at', 't.created_at')})) m(metric, ms)
             WHERE t.status = 'completed' AND t.ended_at IS NOT NULL`,
          );
    const fn = `"workflow"."report_rollup_${table}_${op}"`;
    // The table lock comes before reading the zone: a rebuild (ACCESS EXCLUSIVE) makes this wait, then
    // the change is applied in the zone the rebuild wrote.
    await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  zone text;
BEGIN
  LOCK TABLE workflow.report_instance_day, workflow.report_duration_day IN ROW EXCLUSIVE MODE;
  SELECT time_zone INTO zone FROM workflow.report_rollup_state WHERE id = 1;
  IF zone IS NULL THEN RETURN NULL; END IF;
  ${body};
  RETURN NULL;
END
$body$`);
    const referencing = {
      insert: 'NEW TABLE AS new_rows',
      update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows',
      delete: 'OLD TABLE AS old_rows',
    }[op];
    await queryRunner.query(
      `CREATE TRIGGER "report_rollup_${op}" AFTER ${op.toUpperCase()} ON "workflow"."${table}" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['process_instance', 'task'])
      for (const op of ['insert', 'update', 'delete']) {
        await queryRunner.query(`DROP TRIGGER "report_rollup_${op}" ON "workflow"."${table}"`);
        await queryRunner.query(`DROP FUNCTION "workflow"."report_rollup_${table}_${op}"()`);
      }
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_report_ended_at"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_report_started"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_report_ended"`);
    await queryRunner.query(`DROP FUNCTION "workflow"."report_bucket"(double precision)`);
    await queryRunner.query(`DROP TABLE "workflow"."report_duration_day"`);
    await queryRunner.query(`DROP TABLE "workflow"."report_instance_day"`);
    await queryRunner.query(`DROP TABLE "workflow"."report_rollup_state"`);
  }
}
