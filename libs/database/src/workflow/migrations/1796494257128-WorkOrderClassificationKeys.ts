import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A work order's category and type are foreign keys (ON DELETE RESTRICT): the database refuses an
 * orphan whatever path writes the row, the application's in-use checks and row locks aside. Orders that
 * already name a category or type that no longer exists (deleted while the order was created, before
 * 62f5a70) would make the constraint fail: those ids are cleared first (the name was gone already; the
 * reports' rollup triggers count the order under no category). README "Work orders".
 */
export class WorkOrderClassificationKeys1796494257128 implements MigrationInterface {
  name = 'WorkOrderClassificationKeys1796494257128';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "workflow"."work_order" w SET "type_id" = NULL
       WHERE "type_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "workflow"."work_order_type" t WHERE t."id" = w."type_id")`,
    );
    await queryRunner.query(
      `UPDATE "workflow"."work_order" w SET "category_id" = NULL
       WHERE "category_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "workflow"."work_order_category" c WHERE c."id" = w."category_id")`,
    );
    await queryRunner.query(`CREATE INDEX "ix_work_order_type" ON "workflow"."work_order"  ("type_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_work_order_category" ON "workflow"."work_order"  ("category_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "workflow"."work_order" ADD CONSTRAINT "fk_work_order_type" FOREIGN KEY ("type_id") REFERENCES "workflow"."work_order_type"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "workflow"."work_order" ADD CONSTRAINT "fk_work_order_category" FOREIGN KEY ("category_id") REFERENCES "workflow"."work_order_category"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "workflow"."work_order" DROP CONSTRAINT "fk_work_order_category"`);
    await queryRunner.query(`ALTER TABLE "workflow"."work_order" DROP CONSTRAINT "fk_work_order_type"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_category"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_type"`);
  }
}
