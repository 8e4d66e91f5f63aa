import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A work order's creator is an actor id, which is `service:<clientId>` for a registered service (issue 19). */
export class WorkOrderCreatorActorId1796289994995 implements MigrationInterface {
  name = 'WorkOrderCreatorActorId1796289994995';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "workflow"."work_order" ALTER COLUMN "created_by" TYPE character varying(64) USING "created_by"::text`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "workflow"."work_order" ALTER COLUMN "created_by" TYPE bigint USING "created_by"::bigint`,
    );
  }
}
