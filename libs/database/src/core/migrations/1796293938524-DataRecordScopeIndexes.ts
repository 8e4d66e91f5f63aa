import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataRecordScopeIndexes1796293938524 implements MigrationInterface {
  name = 'DataRecordScopeIndexes1796293938524';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_data_record_model_creator" ON "core"."data_record"  ("model_id", "creator_id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_data_record_model_department" ON "core"."data_record"  ("model_id", "department_id") WHERE deleted_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_data_record_model_department"`);
    await queryRunner.query(`DROP INDEX "core"."ix_data_record_model_creator"`);
  }
}
