import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataModelForms1796307059205 implements MigrationInterface {
  name = 'DataModelForms1796307059205';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."data_model" ADD "forms" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."data_model" DROP COLUMN "forms"`);
  }
}
