import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dead letters (issue 19): messages a consumer gave up on after bounded retries, for listing and replay. */
export class DeadLetters1796305314262 implements MigrationInterface {
  name = 'DeadLetters1796305314262';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."dead_letter" ("id" BIGSERIAL NOT NULL, "source" character varying(64) NOT NULL, "message_id" character varying(128) NOT NULL, "topic" character varying(128) NOT NULL, "payload" jsonb NOT NULL, "attempts" integer NOT NULL, "last_error" character varying(2000) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'dead', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "replayed_at" TIMESTAMP WITH TIME ZONE, "replayed_by" character varying(64), CONSTRAINT "PK_e51e9e534cd18984b2aad76403c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_dead_letter_message" ON "core"."dead_letter" ("source", "message_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_dead_letter_status" ON "core"."dead_letter" ("status", "created_at")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "core"."dead_letter"`);
  }
}
