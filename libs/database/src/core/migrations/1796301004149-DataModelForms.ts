import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataModelForms1796301004149 implements MigrationInterface {
  name = 'DataModelForms1796301004149';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."data_model" ADD "forms" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."data_model" DROP COLUMN "forms"`);
  }
}
