import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CoreInit1795422259368 implements MigrationInterface {
  name = 'CoreInit1795422259368';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."staff" ("id" BIGSERIAL NOT NULL, "account" character varying(64), "phone" character varying(32), "name" character varying(64) NOT NULL, "password_hash" character varying(255) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'enabled', "is_super_admin" boolean NOT NULL DEFAULT false, "token_version" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e4ee98bb552756c180aec1e854a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_staff_account" ON "core"."staff"  ("account") WHERE account IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_staff_phone" ON "core"."staff"  ("phone") WHERE phone IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."uq_staff_phone"`);
    await queryRunner.query(`DROP INDEX "core"."uq_staff_account"`);
    await queryRunner.query(`DROP TABLE "core"."staff"`);
  }
}
