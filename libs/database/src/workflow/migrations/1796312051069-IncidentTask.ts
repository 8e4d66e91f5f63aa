import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Incidents about one task (issue 14: an assignee named by a sign-in name nobody holds). */
export class IncidentTask1796312051069 implements MigrationInterface {
  name = 'IncidentTask1796312051069';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow"."incident" ADD "task_id" bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow"."incident" DROP COLUMN "task_id"`);
  }
}
