import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AttachmentPurge1796303298102 implements MigrationInterface {
  name = 'AttachmentPurge1796303298102';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."attachment" ADD "purge_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `CREATE INDEX "ix_attachment_purge" ON "core"."attachment"  ("purge_at") WHERE purge_at IS NOT NULL`,
    );
    // files removed before this column existed: their bytes are gone already, the rows go too
    await queryRunner.query(
      `UPDATE "core"."attachment" SET "purge_at" = "deleted_at" WHERE "deleted_at" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_attachment_purge"`);
    await queryRunner.query(`ALTER TABLE "core"."attachment" DROP COLUMN "purge_at"`);
  }
}
