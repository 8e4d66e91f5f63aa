import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statistics' organization walk (issue 17): when a window holds more groups than the total's cap, the
 * page aggregates organization after organization in id order, each from the roll-up's range
 * (kind, organization, day) rather than the window's every day; the capped count leaves out deleted
 * organizations through the few ids of the partial index.
 */
export class CrmStatsOrganizationWalk1796335263591 implements MigrationInterface {
  name = 'CrmStatsOrganizationWalk1796335263591';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_crm_activity_day_organization" ON "core"."crm_activity_day" ("kind", "organization_id", "day")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_organization_deleted" ON "core"."crm_organization" ("id") WHERE "deleted_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_crm_organization_deleted"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_activity_day_organization"`);
  }
}
