import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Incidents (issue 19): what an operator must look at, e.g. an instance failed by the engine's budget. */
export class Incidents1796300138525 implements MigrationInterface {
  name = 'Incidents1796300138525';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."incident" ("id" BIGSERIAL NOT NULL, "kind" character varying(32) NOT NULL, "instance_id" bigint, "definition_id" bigint, "element_id" character varying(255), "job_id" bigint, "message" character varying(2000) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" character varying(64), CONSTRAINT "PK_5f90b28b0b8238d89ee8edcf96e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_incident_open_instance" ON "workflow"."incident" ("instance_id") WHERE resolved_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "workflow"."incident"`);
  }
}
