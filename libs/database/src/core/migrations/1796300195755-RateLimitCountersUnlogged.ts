import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate-limit counters now take a write on every API request (issue 18): unlogged, they cost no WAL
 * and are not shipped to replicas. A crash empties them, which only resets the current windows.
 */
export class RateLimitCountersUnlogged1796300195755 implements MigrationInterface {
  name = 'RateLimitCountersUnlogged1796300195755';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."rate_limit_counters" SET UNLOGGED`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."rate_limit_counters" SET LOGGED`);
  }
}
