import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The workflow schema itself is created by migrateSchema; its tables come with the execution core. */
export class WorkflowInit1763884800001 implements MigrationInterface {
  name = 'WorkflowInit1763884800001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS "workflow"`);
  }

  async down(): Promise<void> {
    // The schema is dropped with its last table, not here.
  }
}
