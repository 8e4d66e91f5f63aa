import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Schedules of timer start events (issue 14). */
export class TimerStarts1796306536895 implements MigrationInterface {
  name = 'TimerStarts1796306536895';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."timer_start" ("id" BIGSERIAL NOT NULL, "definition_id" bigint NOT NULL, "definition_key" character varying(255) NOT NULL, "element_id" character varying(255) NOT NULL, "timer_kind" character varying(16) NOT NULL, "timer_value" character varying(255) NOT NULL, "anchor" TIMESTAMP WITH TIME ZONE NOT NULL, "fired" integer NOT NULL DEFAULT '0', "previous_due" TIMESTAMP WITH TIME ZONE, "due_at" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT 'pending', "last_instance_id" bigint, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_7b20feb5137d8c3f951211c7670" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_timer_start_key" ON "workflow"."timer_start"  ("definition_key", "status") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_timer_start_due" ON "workflow"."timer_start"  ("status", "due_at") `,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."ix_timer_start_due"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_timer_start_key"`);
    await queryRunner.query(`DROP TABLE "workflow"."timer_start"`);
  }
}
