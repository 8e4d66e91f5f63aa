import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Seed 001 customers keep the `cid` and `openId` their clients send (issue #15). */
export class CustomerLegacyIds1796300071989 implements MigrationInterface {
  name = 'CustomerLegacyIds1796300071989';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."crm_customer" ADD "cid" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "core"."crm_customer" ADD "open_id" character varying(128)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."crm_customer" DROP COLUMN "open_id"`);
    await queryRunner.query(`ALTER TABLE "core"."crm_customer" DROP COLUMN "cid"`);
  }
}
