import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MessageCentre1796289732306 implements MigrationInterface {
  name = 'MessageCentre1796289732306';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."attachment" ("id" BIGSERIAL NOT NULL, "owner_type" character varying(32) NOT NULL, "owner_id" character varying(64) NOT NULL, "parent_id" character varying(64), "file_name" character varying(255) NOT NULL, "content_type" character varying(128) NOT NULL, "size" bigint NOT NULL, "sha256" character varying(64) NOT NULL, "storage" character varying(16) NOT NULL, "storage_key" character varying(255) NOT NULL, "uploaded_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_d2a80c3a8d467f08a750ac4b420" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_attachment_owner" ON "core"."attachment"  ("owner_type", "owner_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_template" ("id" BIGSERIAL NOT NULL, "event_type" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "locale" character varying(8) NOT NULL, "version" integer NOT NULL, "subject" character varying(255), "body" character varying(4000) NOT NULL, "field_masks" jsonb NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_616800da109c721fb4dd2019a9b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_message_template_version" ON "core"."message_template"  ("event_type", "channel", "locale", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_channel_config" ("channel" character varying(16) NOT NULL, "enabled" boolean NOT NULL DEFAULT false, "config" jsonb NOT NULL DEFAULT '{}', "updated_by" bigint, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c9e51704711e7e3c1f38374a7ce" PRIMARY KEY ("channel"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_sensitive_word" ("word" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ef615ae38e6704b6701855761b5" PRIMARY KEY ("word"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_preference_default" ("event_type" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "enabled" boolean NOT NULL, CONSTRAINT "PK_0c0942b2647460c95f55d6f6daf" PRIMARY KEY ("event_type", "channel"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_preference" ("staff_id" bigint NOT NULL, "event_type" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "enabled" boolean NOT NULL, CONSTRAINT "PK_1a0ba3835dece2c289050773fe7" PRIMARY KEY ("staff_id", "event_type", "channel"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_contact" ("staff_id" bigint NOT NULL, "email" character varying(254), "mobile" character varying(32), "locale" character varying(8) NOT NULL DEFAULT 'zh-CN', CONSTRAINT "PK_01f626f41423e5653c0ed866744" PRIMARY KEY ("staff_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."message_send" ("id" BIGSERIAL NOT NULL, "message_id" uuid NOT NULL, "event_type" character varying(64) NOT NULL, "channel" character varying(16) NOT NULL, "recipient_key" character varying(64) NOT NULL, "recipient_id" bigint, "address" character varying(254), "template_id" bigint, "subject" character varying(255), "body" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "status" character varying(16) NOT NULL DEFAULT 'queued', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_error" character varying(2000), "attempts_log" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_6f1f7e6a89d0ba12422d9e94777" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_message_send_recipient" ON "core"."message_send"  ("recipient_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_message_send_due" ON "core"."message_send"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_message_send" ON "core"."message_send"  ("message_id", "channel", "recipient_key") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."stream_event" ("id" BIGSERIAL NOT NULL, "user_id" bigint NOT NULL, "topic" character varying(64) NOT NULL, "data" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f2c9f329f861e1ef0d30a16c000" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_stream_event_user" ON "core"."stream_event"  ("user_id", "id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."ix_stream_event_user"`);
    await queryRunner.query(`DROP TABLE "core"."stream_event"`);
    await queryRunner.query(`DROP INDEX "core"."uq_message_send"`);
    await queryRunner.query(`DROP INDEX "core"."ix_message_send_due"`);
    await queryRunner.query(`DROP INDEX "core"."ix_message_send_recipient"`);
    await queryRunner.query(`DROP TABLE "core"."message_send"`);
    await queryRunner.query(`DROP TABLE "core"."message_contact"`);
    await queryRunner.query(`DROP TABLE "core"."message_preference"`);
    await queryRunner.query(`DROP TABLE "core"."message_preference_default"`);
    await queryRunner.query(`DROP TABLE "core"."message_sensitive_word"`);
    await queryRunner.query(`DROP TABLE "core"."message_channel_config"`);
    await queryRunner.query(`DROP INDEX "core"."uq_message_template_version"`);
    await queryRunner.query(`DROP TABLE "core"."message_template"`);
    await queryRunner.query(`DROP INDEX "core"."ix_attachment_owner"`);
    await queryRunner.query(`DROP TABLE "core"."attachment"`);
  }
}
