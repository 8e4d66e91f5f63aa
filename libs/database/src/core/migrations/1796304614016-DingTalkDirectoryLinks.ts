import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DingTalkDirectoryLinks1796304614016 implements MigrationInterface {
  name = 'DingTalkDirectoryLinks1796304614016';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."departments" ADD "dingtalk_id" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "dingtalk_user_id" character varying(64)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_departments_dingtalk" ON "core"."departments"  ("dingtalk_id") WHERE dingtalk_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_staff_dingtalk" ON "core"."staff"  ("dingtalk_user_id") WHERE dingtalk_user_id IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."uq_staff_dingtalk"`);
    await queryRunner.query(`DROP INDEX "core"."uq_departments_dingtalk"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "dingtalk_user_id"`);
    await queryRunner.query(`ALTER TABLE "core"."departments" DROP COLUMN "dingtalk_id"`);
  }
}
