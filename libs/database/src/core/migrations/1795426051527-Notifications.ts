import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795426051527 implements MigrationInterface {
  name = 'Notifications1795426051527';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."notification" ("id" BIGSERIAL NOT NULL, "user_id" bigint NOT NULL, "topic" character varying(64) NOT NULL, "title" character varying(255) NOT NULL, "body" character varying(2000), "event_id" uuid, "instance_id" character varying(64), "task_id" character varying(64), "data" jsonb NOT NULL DEFAULT '{}', "read_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_event_user" ON "core"."notification"  ("event_id", "user_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_user" ON "core"."notification"  ("user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."webhook_subscription" ("id" BIGSERIAL NOT NULL, "name" character varying(100) NOT NULL, "url" character varying(2000) NOT NULL, "secret" character varying(128) NOT NULL, "topics" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL DEFAULT true, "created_by" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "deleted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b52cb4811c5ada4f42896c37ba8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_webhook_topics" ON "core"."webhook_subscription"  ("topics") `);
    await queryRunner.query(
      `CREATE TABLE "core"."webhook_delivery" ("id" BIGSERIAL NOT NULL, "subscription_id" bigint NOT NULL, "event_id" uuid NOT NULL, "topic" character varying(64) NOT NULL, "payload" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "last_status" integer, "last_error" character varying(2000), "log" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_b1ae290239a778f12399db91354" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_webhook_delivery_due" ON "core"."webhook_delivery"  ("status", "next_attempt_at") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_webhook_delivery_event" ON "core"."webhook_delivery"  ("subscription_id", "event_id") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "core"."uq_webhook_delivery_event"`);
    await queryRunner.query(`DROP INDEX "core"."ix_webhook_delivery_due"`);
    await queryRunner.query(`DROP TABLE "core"."webhook_delivery"`);
    await queryRunner.query(`DROP INDEX "core"."ix_webhook_topics"`);
    await queryRunner.query(`DROP TABLE "core"."webhook_subscription"`);
    await queryRunner.query(`DROP INDEX "core"."ix_notification_user"`);
    await queryRunner.query(`DROP INDEX "core"."uq_notification_event_user"`);
    await queryRunner.query(`DROP TABLE "core"."notification"`);
  }
}
