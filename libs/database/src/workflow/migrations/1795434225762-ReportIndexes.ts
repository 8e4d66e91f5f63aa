import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Covering partial indexes for the duration reports (apps/workflow/src/reports): the aggregate reads
 * completed tasks (and ended instances) in group order from the index alone, without sorting the
 * table. Written by hand: TypeORM cannot express INCLUDE, so the entities mark them `synchronize: false`.
 */
export class ReportIndexes1795434225762 implements MigrationInterface {
  name = 'ReportIndexes1795434225762';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_task_report_node" ON "workflow"."task" ("definition_key", "element_id") INCLUDE ("created_at", "claimed_at", "ended_at") WHERE status = 'completed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_task_report_assignee" ON "workflow"."task" ("assignee_id") INCLUDE ("definition_key", "created_at", "claimed_at", "ended_at") WHERE status = 'completed'`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_report_ended" ON "workflow"."process_instance" ("definition_key") INCLUDE ("started_at", "ended_at") WHERE ended_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_report_ended"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_report_assignee"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_report_node"`);
  }
}
