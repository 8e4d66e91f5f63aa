import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Phone uploads are idempotent per uploader: the natural keys of SMS and call records gain the
 * uploading staff member, so a message between two salespeople is kept for both of them and a record
 * someone else uploaded first no longer swallows this phone's own (the upload used to count it a duplicate).
 */
export class CrmUploadsPerUploader1796410883859 implements MigrationInterface {
  name = 'CrmUploadsPerUploader1796410883859';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."crm_sms" DROP CONSTRAINT "uq_crm_sms_natural"`);
    await queryRunner.query(`ALTER TABLE "core"."crm_call" DROP CONSTRAINT "uq_crm_call_natural"`);
    await queryRunner.query(
      `ALTER TABLE "core"."crm_sms" ADD CONSTRAINT "uq_crm_sms_per_uploader" UNIQUE ("staff_id", "sender", "receiver", "occur_time", "content_hash")`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."crm_call" ADD CONSTRAINT "uq_crm_call_per_uploader" UNIQUE ("staff_id", "emp_code", "mobile", "call_date", "call_status")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."crm_call" DROP CONSTRAINT "uq_crm_call_per_uploader"`);
    await queryRunner.query(`ALTER TABLE "core"."crm_sms" DROP CONSTRAINT "uq_crm_sms_per_uploader"`);
    await queryRunner.query(
      `ALTER TABLE "core"."crm_call" ADD CONSTRAINT "uq_crm_call_natural" UNIQUE ("emp_code", "mobile", "call_date", "call_status")`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."crm_sms" ADD CONSTRAINT "uq_crm_sms_natural" UNIQUE ("sender", "receiver", "occur_time", "content_hash")`,
    );
  }
}
