import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WebhookContent1795434891537 implements MigrationInterface {
  name = 'WebhookContent1795434891537';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "core"."webhook_subscription" ADD "exclude_fields" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."webhook_subscription" ADD "template" character varying(2000)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."webhook_subscription" DROP COLUMN "template"`);
    await queryRunner.query(`ALTER TABLE "core"."webhook_subscription" DROP COLUMN "exclude_fields"`);
  }
}
