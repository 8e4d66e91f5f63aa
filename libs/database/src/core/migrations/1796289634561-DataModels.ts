import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataModels1796289634561 implements MigrationInterface {
  name = 'DataModels1796289634561';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."data_model" ("id" BIGSERIAL NOT NULL, "key" character varying(64) NOT NULL, "name" character varying(100) NOT NULL, "description" character varying(500), "version" integer NOT NULL DEFAULT '1', "fields" jsonb NOT NULL DEFAULT '[]', "next_field_no" integer NOT NULL DEFAULT '1', "flows" jsonb NOT NULL DEFAULT '[]', "creator_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5cf1727c5f7040608084fde0ea7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_data_model_key" ON "core"."data_model"  ("key") `);
    await queryRunner.query(
      `CREATE TABLE "core"."data_model_version" ("id" BIGSERIAL NOT NULL, "model_id" bigint NOT NULL, "version" integer NOT NULL, "change" jsonb NOT NULL, "fields" jsonb NOT NULL, "actor_id" character varying(64) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_data_model_version" UNIQUE ("model_id", "version"), CONSTRAINT "PK_9f67876e81e399191a2f21f66e1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."data_record" ("id" BIGSERIAL NOT NULL, "model_id" bigint NOT NULL, "data" jsonb NOT NULL DEFAULT '{}', "creator_id" bigint NOT NULL, "department_id" bigint, "version" integer NOT NULL DEFAULT '1', "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee8af010975775f71cd54b4055e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_data_record_model_created" ON "core"."data_record"  ("model_id", "created_at", "id") WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."data_view" ("id" BIGSERIAL NOT NULL, "model_id" bigint NOT NULL, "name" character varying(100) NOT NULL, "type" character varying(16) NOT NULL, "shared" boolean NOT NULL DEFAULT false, "owner_id" character varying(64) NOT NULL, "config" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_216fe8c6dd0647a5586971ddece" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_data_view_model" ON "core"."data_view"  ("model_id", "owner_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."data_record_flow" ("id" BIGSERIAL NOT NULL, "record_id" bigint NOT NULL, "flow_code" character varying(255) NOT NULL, "work_order_id" character varying(32), "instance_id" character varying(32), "actor_id" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_data_record_flow" UNIQUE ("record_id", "flow_code"), CONSTRAINT "PK_4b071b589c8758493e9b050952c" PRIMARY KEY ("id"))`,
    );
    // Equality filters (`data @> '{"f3":"open"}'`) on any field of any model; sort and range indexes are
    // created per field at run time (docs/data-models.md). TypeORM cannot declare a GIN opclass.
    await queryRunner.query(
      `CREATE INDEX "ix_data_record_data" ON "core"."data_record" USING gin ("data" jsonb_path_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_change_entity" ON "core"."crm_change"  ("entity_type", "entity_id", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_crm_change_entity"`);
    await queryRunner.query(`DROP TABLE "core"."data_record_flow"`);
    await queryRunner.query(`DROP INDEX "core"."ix_data_view_model"`);
    await queryRunner.query(`DROP TABLE "core"."data_view"`);
    await queryRunner.query(`DROP INDEX "core"."ix_data_record_data"`);
    await queryRunner.query(`DROP INDEX "core"."ix_data_record_model_created"`);
    await queryRunner.query(`DROP TABLE "core"."data_record"`);
    await queryRunner.query(`DROP TABLE "core"."data_model_version"`);
    await queryRunner.query(`DROP INDEX "core"."uq_data_model_key"`);
    await queryRunner.query(`DROP TABLE "core"."data_model"`);
  }
}
