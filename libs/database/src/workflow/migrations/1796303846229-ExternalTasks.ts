import type { MigrationInterface, QueryRunner } from 'typeorm';

/** External tasks for REST workers (issue 14). */
export class ExternalTasks1796303846229 implements MigrationInterface {
  name = 'ExternalTasks1796303846229';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."external_task" ("id" BIGSERIAL NOT NULL, "instance_id" bigint NOT NULL, "execution_id" character varying(255) NOT NULL, "element_id" character varying(255) NOT NULL, "definition_key" character varying(255) NOT NULL, "topic" character varying(255) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'open', "worker_id" character varying(255), "lock_expires_at" TIMESTAMP WITH TIME ZONE, "retries" integer, "available_at" TIMESTAMP WITH TIME ZONE, "error_message" character varying(2000), "error_details" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, "ended_by" character varying(255), CONSTRAINT "PK_8c92f6be1f501178a96d6542c53" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_external_task_open" ON "workflow"."external_task"  ("instance_id", "execution_id") WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_external_task_fetch" ON "workflow"."external_task"  ("topic", "status") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."ix_external_task_fetch"`);
    await queryRunner.query(`DROP INDEX "workflow"."uq_external_task_open"`);
    await queryRunner.query(`DROP TABLE "workflow"."external_task"`);
  }
}
