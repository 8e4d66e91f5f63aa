import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * ERP sync runs (core) and the `erp` schema that holds the copied `ERP_{formId}` tables. The gateway
 * owns both; the tables themselves are made by a create sync (their columns come from the ERP form).
 */
export class ErpSync1795440000000 implements MigrationInterface {
  name = 'ErpSync1795440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "erp"`);
    await queryRunner.query(
      `CREATE TABLE "core"."erp_sync_runs" ("id" BIGSERIAL NOT NULL, "form_id" character varying(64) NOT NULL, "mode" character varying(8) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'running', "window_from" TIMESTAMP WITH TIME ZONE NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, "rows_read" integer NOT NULL DEFAULT '0', "rows_written" integer NOT NULL DEFAULT '0', "error" character varying(2000), "triggered_by" character varying(64) NOT NULL, CONSTRAINT "PK_erp_sync_runs" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_erp_sync_runs_running" ON "core"."erp_sync_runs" ("form_id") WHERE status = 'running'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_erp_sync_runs_started" ON "core"."erp_sync_runs" ("started_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_erp_sync_runs_started"`);
    await queryRunner.query(`DROP INDEX "core"."uq_erp_sync_runs_running"`);
    await queryRunner.query(`DROP TABLE "core"."erp_sync_runs"`);
    await queryRunner.query(`DROP SCHEMA IF EXISTS "erp" CASCADE`);
  }
}
