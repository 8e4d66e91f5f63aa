import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ApprovalOperations1795425652117 implements MigrationInterface {
  name = 'ApprovalOperations1795425652117';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."task_copy" ("id" BIGSERIAL NOT NULL, "instance_id" bigint NOT NULL, "task_id" bigint NOT NULL, "user_id" character varying(64) NOT NULL, "copied_by" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_fe96dd594597cbef948260a5bc0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_task_copy_instance" ON "workflow"."task_copy"  ("instance_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_task_copy_user_created" ON "workflow"."task_copy"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_task_copy_user" ON "workflow"."task_copy"  ("task_id", "user_id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."uq_task_copy_user"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_copy_user_created"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_copy_instance"`);
    await queryRunner.query(`DROP TABLE "workflow"."task_copy"`);
  }
}
