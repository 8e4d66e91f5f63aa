import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The three record tables seed 001's statistics count, with their time column and summed amount. */
const SOURCES = [
  { kind: 'contract', table: 'crm_contract', time: 'sign_time', amount: 'amount' },
  { kind: 'demand', table: 'crm_demand', time: 'record_time', amount: 'NULL::numeric' },
  { kind: 'follow_up', table: 'crm_follow_up', time: 'record_time', amount: 'NULL::numeric' },
] as const;

/**
 * Daily roll-ups of the CRM statistics (issue 17): live contracts, demand changes and follow-ups per
 * organization, department and business day, kept in the writing transaction by statement-level
 * triggers (one aggregate per statement, so a bulk import costs one upsert per touched day, not per row).
 * The business day needs TZ_BUSINESS, which only the gateway knows: `crm_activity_rollup_state` holds
 * the zone the roll-up was built in; the gateway rebuilds it at boot when the zone differs (NULL here).
 */
export class CrmActivityRollup1796310000000 implements MigrationInterface {
  name = 'CrmActivityRollup1796310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."crm_activity_day" ("kind" character varying(16) NOT NULL, "organization_id" bigint NOT NULL, "department_id" bigint, "day" date NOT NULL, "n" integer NOT NULL, "amount" numeric(18,2) NOT NULL DEFAULT 0, "first" TIMESTAMP WITH TIME ZONE NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_crm_activity_day" ON "core"."crm_activity_day" ("kind", "day", "organization_id", "department_id") NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_activity_rollup_state" ("id" smallint PRIMARY KEY CHECK ("id" = 1), "time_zone" character varying(64))`,
    );
    await queryRunner.query(
      `INSERT INTO "core"."crm_activity_rollup_state" ("id", "time_zone") VALUES (1, NULL)`,
    );
    for (const source of SOURCES) await this.createTriggers(queryRunner, source);
  }

  private async createTriggers(queryRunner: QueryRunner, source: (typeof SOURCES)[number]): Promise<void> {
    const rows = (relation: string, sign: number) =>
      `SELECT organization_id, department_id, (${source.time} AT TIME ZONE zone)::date AS day, ${sign} AS n,
              ${sign} * ${source.amount} AS amount, ${source.time} AS t
         FROM ${relation} WHERE deleted_at IS NULL`;
    const fn = `"core"."crm_activity_day_${source.kind}"`;
    // Removed rows may have held a group's first time: those groups get it recomputed; empty groups go.
    await queryRunner.query(`CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
  zone text;
BEGIN
  SELECT time_zone INTO zone FROM core.crm_activity_rollup_state WHERE id = 1 FOR SHARE;
  IF zone IS NULL THEN RETURN NULL; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO core.crm_activity_day AS r (kind, organization_id, department_id, day, n, amount, first)
    SELECT '${source.kind}', organization_id, department_id, day, sum(n), COALESCE(sum(amount), 0), min(t)
      FROM (${rows('new_rows', 1)}) a
     GROUP BY organization_id, department_id, day
    ON CONFLICT (kind, day, organization_id, department_id) DO UPDATE
      SET n = r.n + EXCLUDED.n, amount = COALESCE(r.amount, 0) + COALESCE(EXCLUDED.amount, 0), first = LEAST(r.first, EXCLUDED.first);
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    WITH removed AS (
      SELECT organization_id, department_id, day, sum(n) AS n, sum(amount) AS amount, min(t) AS t
        FROM (${rows('old_rows', -1)}) a
       GROUP BY organization_id, department_id, day
    )
    UPDATE core.crm_activity_day r
       SET n = r.n + x.n, amount = COALESCE(r.amount, 0) + COALESCE(x.amount, 0),
           first = CASE WHEN x.t > r.first THEN r.first ELSE COALESCE((
             SELECT min(s.${source.time}) FROM core.${source.table} s
              WHERE s.organization_id = r.organization_id AND s.department_id IS NOT DISTINCT FROM r.department_id
                AND s.deleted_at IS NULL
                AND s.${source.time} >= (r.day::timestamp AT TIME ZONE zone)
                AND s.${source.time} < ((r.day + 1)::timestamp AT TIME ZONE zone)), r.first) END
      FROM removed x
     WHERE r.kind = '${source.kind}' AND r.day = x.day AND r.organization_id = x.organization_id
       AND r.department_id IS NOT DISTINCT FROM x.department_id;
    DELETE FROM core.crm_activity_day r
     USING (SELECT DISTINCT organization_id, department_id, day FROM (${rows('old_rows', -1)}) a) x
     WHERE r.kind = '${source.kind}' AND r.day = x.day AND r.organization_id = x.organization_id
       AND r.department_id IS NOT DISTINCT FROM x.department_id AND r.n <= 0;
  END IF;
  RETURN NULL;
END
$body$`);
    const table = `"core"."${source.table}"`;
    await queryRunner.query(
      `CREATE TRIGGER "crm_activity_day_insert" AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "crm_activity_day_update" AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "crm_activity_day_delete" AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const source of SOURCES) {
      for (const event of ['insert', 'update', 'delete'])
        await queryRunner.query(`DROP TRIGGER "crm_activity_day_${event}" ON "core"."${source.table}"`);
      await queryRunner.query(`DROP FUNCTION "core"."crm_activity_day_${source.kind}"()`);
    }
    await queryRunner.query(`DROP TABLE "core"."crm_activity_rollup_state"`);
    await queryRunner.query(`DROP TABLE "core"."crm_activity_day"`);
  }
}
