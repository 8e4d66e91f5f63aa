import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Crm1795425252662 implements MigrationInterface {
  name = 'Crm1795425252662';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."crm_customer" ("id" BIGSERIAL NOT NULL, "code" character varying(32), "real_name" character varying(64) NOT NULL, "nick_name" character varying(64), "type" character varying(64), "phone" character varying(32), "job" character varying(64), "sex" character varying(8) NOT NULL DEFAULT 'unknown', "level" smallint NOT NULL DEFAULT '0', "is_vip" boolean NOT NULL DEFAULT false, "is_senior" boolean NOT NULL DEFAULT false, "vip_due_time" TIMESTAMP WITH TIME ZONE, "navigation_due_time" TIMESTAMP WITH TIME ZONE, "avatar_url" character varying(2048), "note" character varying(2000), "legal_person" character varying(64), "registered_capital" character varying(64), "registration_date" date, "website" character varying(2048), "stage" smallint, "comment" character varying(500), "contact_status" smallint NOT NULL DEFAULT '0', "wechat_status" smallint NOT NULL DEFAULT '1', "wechat_id" character varying(64), "organization_ids" bigint array NOT NULL DEFAULT '{}', "creator_id" bigint NOT NULL, "owner_id" bigint, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d7b1f8edadc3f1c551c03195c78" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_crm_customer_code" ON "core"."crm_customer"  ("code") WHERE code IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_department" ON "core"."crm_customer"  ("department_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_owner_stage" ON "core"."crm_customer"  ("owner_id", "stage") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_creator" ON "core"."crm_customer"  ("creator_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_created" ON "core"."crm_customer"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_organization" ("id" BIGSERIAL NOT NULL, "name" character varying(200) NOT NULL, "detail" character varying(2000), "type" character varying(64), "province" character varying(64), "city" character varying(64), "county" character varying(64), "address" character varying(255), "legal_person" character varying(64), "registered_capital" character varying(64), "registration_date" date, "website" character varying(2048), "note" character varying(2000), "creator_id" bigint NOT NULL, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ae136f4a6c464c336d4baa34900" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_organization_department" ON "core"."crm_organization"  ("department_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_organization_creator" ON "core"."crm_organization"  ("creator_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_organization_created" ON "core"."crm_organization"  ("created_at", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_potential" ("id" BIGSERIAL NOT NULL, "organization_id" bigint NOT NULL, "director_id" bigint NOT NULL, "record_time" TIMESTAMP WITH TIME ZONE NOT NULL, "status" smallint NOT NULL DEFAULT '0', "note" character varying(2000), "creator_id" bigint NOT NULL, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8613143fbdf77f140213d3b08df" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_potential_director" ON "core"."crm_potential"  ("director_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_potential_organization" ON "core"."crm_potential"  ("organization_id", "record_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_potential_record" ON "core"."crm_potential"  ("record_time", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_follow_up" ("id" BIGSERIAL NOT NULL, "potential_id" bigint NOT NULL, "organization_id" bigint NOT NULL, "customer_ids" bigint array NOT NULL DEFAULT '{}', "follower_ids" bigint array NOT NULL DEFAULT '{}', "event" smallint, "gain" character varying(2000), "attach" character varying(2048), "note" character varying(2000), "record_time" TIMESTAMP WITH TIME ZONE NOT NULL, "creator_id" bigint NOT NULL, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_df2032c06a66cdac32019d6ad33" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_follow_up_potential" ON "core"."crm_follow_up"  ("potential_id", "record_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_follow_up_organization" ON "core"."crm_follow_up"  ("organization_id", "record_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_follow_up_record" ON "core"."crm_follow_up"  ("record_time", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_demand" ("id" BIGSERIAL NOT NULL, "organization_id" bigint NOT NULL, "customer_ids" bigint array NOT NULL DEFAULT '{}', "follower_ids" bigint array NOT NULL DEFAULT '{}', "content" character varying(4000) NOT NULL, "attach" character varying(2048), "note" character varying(2000), "record_time" TIMESTAMP WITH TIME ZONE NOT NULL, "creator_id" bigint NOT NULL, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_10910dab1d9d998c762c0e0f453" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_demand_organization" ON "core"."crm_demand"  ("organization_id", "record_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_demand_record" ON "core"."crm_demand"  ("record_time", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_satisfaction" ("id" BIGSERIAL NOT NULL, "organization_id" bigint NOT NULL, "customer_ids" bigint array NOT NULL DEFAULT '{}', "follower_ids" bigint array NOT NULL DEFAULT '{}', "value" smallint NOT NULL, "attach" character varying(2048), "note" character varying(2000), "record_time" TIMESTAMP WITH TIME ZONE NOT NULL, "creator_id" bigint NOT NULL, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f29bd886669773aaaa64072e135" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_satisfaction_organization" ON "core"."crm_satisfaction"  ("organization_id", "record_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_satisfaction_record" ON "core"."crm_satisfaction"  ("record_time", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_contract" ("id" BIGSERIAL NOT NULL, "organization_id" bigint NOT NULL, "name" character varying(200) NOT NULL, "code" character varying(64), "amount" numeric(14,2), "sign_time" TIMESTAMP WITH TIME ZONE NOT NULL, "remit_amount" numeric(14,2), "remit_time" TIMESTAMP WITH TIME ZONE, "follower_ids" bigint array NOT NULL DEFAULT '{}', "note" character varying(2000), "creator_id" bigint NOT NULL, "editor_id" bigint, "department_id" bigint, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_03ce4c7131abfb1fea18f820ca2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_contract_organization" ON "core"."crm_contract"  ("organization_id", "sign_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_contract_sign" ON "core"."crm_contract"  ("sign_time", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_change" ("id" BIGSERIAL NOT NULL, "entity_type" character varying(32) NOT NULL, "entity_id" bigint NOT NULL, "organization_id" bigint, "customer_id" bigint, "action" character varying(32) NOT NULL, "actor_id" character varying(64) NOT NULL, "changes" jsonb NOT NULL DEFAULT '{}', "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1cc355553fd9ddb14723ec484ea" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_change_customer" ON "core"."crm_change"  ("customer_id", "id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_change_organization" ON "core"."crm_change"  ("organization_id", "id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_sms_template" ("id" BIGSERIAL NOT NULL, "title" character varying(100) NOT NULL, "content" character varying(1000) NOT NULL, "creator_id" bigint NOT NULL, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_00cf16b08a4c1efcf348844e8ab" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_sms" ("id" BIGSERIAL NOT NULL, "staff_id" bigint NOT NULL, "department_id" bigint, "sender" character varying(64) NOT NULL, "receiver" character varying(64) NOT NULL, "sender_role" smallint NOT NULL, "occur_time" TIMESTAMP WITH TIME ZONE NOT NULL, "content" character varying(2000) NOT NULL, "content_hash" character(64) NOT NULL, "sender_mobile" character varying(32) NOT NULL DEFAULT '', "receiver_mobile" character varying(32) NOT NULL DEFAULT '', "sender_name" character varying(64) NOT NULL DEFAULT '', "receiver_name" character varying(64) NOT NULL DEFAULT '', "signature" character varying(64) NOT NULL DEFAULT '【东方融资网】', "send_status" smallint NOT NULL DEFAULT '1', "is_read" smallint NOT NULL DEFAULT '1', "emp_code" character varying(64) NOT NULL, "customer_code" character varying(64) NOT NULL, "customer_mobile" character varying(32) NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_crm_sms_natural" UNIQUE ("sender", "receiver", "occur_time", "content_hash"), CONSTRAINT "PK_174240f1cd4232b8d16e09e697e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_sms_customer" ON "core"."crm_sms"  ("customer_code", "occur_time") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_sms_staff" ON "core"."crm_sms"  ("staff_id", "occur_time") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_call" ("id" BIGSERIAL NOT NULL, "staff_id" bigint NOT NULL, "department_id" bigint, "emp_code" character varying(64) NOT NULL, "emp_work_mobile" character varying(32) NOT NULL DEFAULT '', "mobile" character varying(32) NOT NULL, "bill_sec" integer NOT NULL, "call_date" TIMESTAMP WITH TIME ZONE NOT NULL, "call_status" smallint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_crm_call_natural" UNIQUE ("emp_code", "mobile", "call_date", "call_status"), CONSTRAINT "PK_d5826ad2f5e39bbaa78ebc0ca35" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_call_staff" ON "core"."crm_call"  ("staff_id", "call_date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."crm_import" ("id" BIGSERIAL NOT NULL, "entity" character varying(32) NOT NULL, "status" character varying(16) NOT NULL, "creator_id" bigint NOT NULL, "department_id" bigint, "row_count" integer NOT NULL, "errors" jsonb NOT NULL DEFAULT '[]', "created_ids" bigint array NOT NULL DEFAULT '{}', "updated" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "undone_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_12b561f695ca553d40844323ccd" PRIMARY KEY ("id"))`,
    );
    // Hand-written (TypeORM cannot express them; the entity indexes are synchronize: false).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public`);
    await queryRunner.query(
      `CREATE INDEX "ix_crm_organization_name_trgm" ON "core"."crm_organization" USING gin ("name" public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_name_trgm" ON "core"."crm_customer" USING gin ("real_name" public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_phone_trgm" ON "core"."crm_customer" USING gin ("phone" public.gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_customer_organizations" ON "core"."crm_customer" USING gin ("organization_ids")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_crm_follow_up_followers" ON "core"."crm_follow_up" USING gin ("follower_ids")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_crm_follow_up_followers"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_organizations"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_phone_trgm"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_name_trgm"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_organization_name_trgm"`);
    await queryRunner.query(`DROP TABLE "core"."crm_import"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_call_staff"`);
    await queryRunner.query(`DROP TABLE "core"."crm_call"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_sms_staff"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_sms_customer"`);
    await queryRunner.query(`DROP TABLE "core"."crm_sms"`);
    await queryRunner.query(`DROP TABLE "core"."crm_sms_template"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_change_organization"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_change_customer"`);
    await queryRunner.query(`DROP TABLE "core"."crm_change"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_contract_sign"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_contract_organization"`);
    await queryRunner.query(`DROP TABLE "core"."crm_contract"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_satisfaction_record"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_satisfaction_organization"`);
    await queryRunner.query(`DROP TABLE "core"."crm_satisfaction"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_demand_record"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_demand_organization"`);
    await queryRunner.query(`DROP TABLE "core"."crm_demand"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_follow_up_record"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_follow_up_organization"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_follow_up_potential"`);
    await queryRunner.query(`DROP TABLE "core"."crm_follow_up"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_potential_record"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_potential_organization"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_potential_director"`);
    await queryRunner.query(`DROP TABLE "core"."crm_potential"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_organization_created"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_organization_creator"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_organization_department"`);
    await queryRunner.query(`DROP TABLE "core"."crm_organization"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_created"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_creator"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_owner_stage"`);
    await queryRunner.query(`DROP INDEX "core"."ix_crm_customer_department"`);
    await queryRunner.query(`DROP INDEX "core"."uq_crm_customer_code"`);
    await queryRunner.query(`DROP TABLE "core"."crm_customer"`);
  }
}
