import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A definition's candidate starters on its row, so the startable list filters by the caller in SQL.
 * Existing rows stay null ("not read yet"): only the workflow app reads BPMN, and it fills them from
 * their XML before it answers its first startable list (DefinitionsService.readStarters).
 */
export class DefinitionStarters1796431200000 implements MigrationInterface {
  name = 'DefinitionStarters1796431200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow"."process_definition" ADD "starters" text array`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow"."process_definition" DROP COLUMN "starters"`);
  }
}
