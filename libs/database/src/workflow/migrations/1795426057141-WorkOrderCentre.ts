import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkOrderCentre1795426057141 implements MigrationInterface {
  name = 'WorkOrderCentre1795426057141';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."form_definition" ("id" BIGSERIAL NOT NULL, "form_key" character varying(255) NOT NULL, "version" integer NOT NULL, "name" character varying(255) NOT NULL, "schema" jsonb NOT NULL, "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b61b2a107bed3674fc0613a67bf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_form_definition_version" ON "workflow"."form_definition"  ("form_key", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."work_order_type" ("id" BIGSERIAL NOT NULL, "name" character varying(100) NOT NULL, "app_code" character varying(64), "definition_key" character varying(255), "icon_url" character varying(1000), "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_da569459d49987822cac4a5afb2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."work_order_category" ("id" BIGSERIAL NOT NULL, "parent_id" bigint, "name" character varying(100) NOT NULL, "description" character varying(1000), "definition_key" character varying(255), "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_497227c3f47d6065f8981b3768c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_work_order_category_parent" ON "workflow"."work_order_category"  ("parent_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."work_order" ("id" BIGSERIAL NOT NULL, "number" character varying(64) NOT NULL, "title" character varying(200) NOT NULL, "system_id" character varying(100) NOT NULL, "project_id" character varying(100), "type_id" bigint, "category_id" bigint, "source" character varying(64), "compensation" character varying(16), "room_number" character varying(64), "description" character varying(4000), "attachment_urls" text array NOT NULL DEFAULT '{}', "form_data" jsonb NOT NULL DEFAULT '{}', "definition_key" character varying(255) NOT NULL, "instance_id" bigint, "evaluation_score" integer, "evaluation" character varying(1000), "closed_at" TIMESTAMP WITH TIME ZONE, "close_reason" character varying(1000), "created_by" bigint NOT NULL, "created_by_department" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0730e63dd523d397530859cb6d1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_work_order_created" ON "workflow"."work_order"  ("created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_work_order_instance" ON "workflow"."work_order"  ("instance_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_work_order_number" ON "workflow"."work_order"  ("number") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."uq_work_order_number"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_instance"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_created"`);
    await queryRunner.query(`DROP TABLE "workflow"."work_order"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_work_order_category_parent"`);
    await queryRunner.query(`DROP TABLE "workflow"."work_order_category"`);
    await queryRunner.query(`DROP TABLE "workflow"."work_order_type"`);
    await queryRunner.query(`DROP INDEX "workflow"."uq_form_definition_version"`);
    await queryRunner.query(`DROP TABLE "workflow"."form_definition"`);
  }
}
