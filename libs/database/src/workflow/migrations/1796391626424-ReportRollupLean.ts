import type { MigrationInterface, QueryRunner } from 'typeorm';
import { REPORT_DELTA_TYPE, rollupFunction } from './1796349595725-ReportRollupLevels';

const REPLACED = (['process_instance', 'task'] as const).flatMap((table) =>
  (['insert', 'update', 'delete'] as const).map((op) => ({ table, op })),
);

/**
 * Cheaper instance and task aggregate triggers (issue 17 aim 1: they had raised the database's CPU per
 * completion from ~7 to ~11.6 ms). Same rows, same lock order; a statement that changes nothing reported
 * (a task created or claimed, a step's instance update) returns at once, and the durations delta is
 * computed once per statement instead of once per histogram table. Only the functions change.
 */
export class ReportRollupLean1796391626424 implements MigrationInterface {
  name = 'ReportRollupLean1796391626424';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(REPORT_DELTA_TYPE);
    for (const { table, op } of REPLACED) await queryRunner.query(rollupFunction(table, op, true));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const { table, op } of REPLACED) await queryRunner.query(rollupFunction(table, op));
    await queryRunner.query(`DROP TYPE "workflow"."report_delta"`);
  }
}
