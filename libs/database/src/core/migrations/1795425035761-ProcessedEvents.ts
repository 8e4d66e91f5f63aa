import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ProcessedEvents1795425035761 implements MigrationInterface {
  name = 'ProcessedEvents1795425035761';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."processed_event" ("event_id" uuid NOT NULL, "topic" character varying(64) NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b366caf9c64cc7b6e5e48af9957" PRIMARY KEY ("event_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "core"."processed_event"`);
  }
}
