import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ExecutionCore1795423278292 implements MigrationInterface {
  name = 'ExecutionCore1795423278292';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "workflow"."definition_category" ("id" BIGSERIAL NOT NULL, "code" character varying(64) NOT NULL, "name" character varying(128) NOT NULL, "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c5f91ffc3c15d6cbb5dbbe24009" UNIQUE ("code"), CONSTRAINT "PK_5983e1cfa218779e7f9ee36d290" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."comment" ("id" BIGSERIAL NOT NULL, "instance_id" bigint NOT NULL, "task_id" bigint, "type" character varying(16) NOT NULL, "actor_id" character varying(64) NOT NULL, "message" character varying(2000) NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0b0e4bbc8415ec426f87f3a88e2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_comment_instance" ON "workflow"."comment"  ("instance_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."process_definition" ("id" BIGSERIAL NOT NULL, "key" character varying(255) NOT NULL, "version" integer NOT NULL, "name" character varying(255) NOT NULL, "category" character varying(64), "description" character varying(1000), "serial_code" character varying(64) NOT NULL, "xml" text NOT NULL, "resource_name" character varying(255), "fingerprint" character varying(64) NOT NULL, "start_form_key" character varying(255), "suspended" boolean NOT NULL DEFAULT false, "deployed_by" character varying(64) NOT NULL, "deployed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6b5bceab5310f5367b472c4a54d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_definition_category" ON "workflow"."process_definition"  ("category") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_definition_key_version" ON "workflow"."process_definition"  ("key", "version") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."activity_history" ("id" BIGSERIAL NOT NULL, "instance_id" bigint NOT NULL, "element_id" character varying(255) NOT NULL, "element_type" character varying(64) NOT NULL, "element_name" character varying(255), "execution_id" character varying(255) NOT NULL, "task_id" bigint, "actor_id" character varying(64), "entered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "left_at" TIMESTAMP WITH TIME ZONE, "outcome" character varying(16), CONSTRAINT "PK_70bf398f6c9e180f27229b13ab7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_history_instance" ON "workflow"."activity_history"  ("instance_id", "entered_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."idempotency_record" ("scope" character varying(160) NOT NULL, "key" character varying(200) NOT NULL, "request_hash" character varying(64) NOT NULL, "response" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_43ea3d50a854b79e2f59aaad8a8" PRIMARY KEY ("scope", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."process_instance" ("id" BIGSERIAL NOT NULL, "definition_id" bigint NOT NULL, "definition_key" character varying(255) NOT NULL, "definition_version" integer NOT NULL, "process_name" character varying(255) NOT NULL, "category" character varying(64), "business_key" character varying(255), "serial_no" character varying(128) NOT NULL, "title" character varying(255), "status" character varying(16) NOT NULL, "initiator_id" character varying(64) NOT NULL, "initiator_department_id" character varying(64), "state" jsonb NOT NULL, "variables" jsonb NOT NULL, "version" integer NOT NULL DEFAULT '0', "active_elements" text array NOT NULL DEFAULT '{}', "parent_instance_id" bigint, "parent_execution_id" character varying(255), "root_instance_id" bigint, "relaunched_from_id" bigint, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "ended_at" TIMESTAMP WITH TIME ZONE, "end_reason" character varying(500), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_275c0b25d5557e0f69b4ed1df6f" UNIQUE ("serial_no"), CONSTRAINT "PK_55a49e7d20c6cfd3b18d5636042" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_definition_key" ON "workflow"."process_instance"  ("definition_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_business_key" ON "workflow"."process_instance"  ("business_key") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_root" ON "workflow"."process_instance"  ("root_instance_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_status_started" ON "workflow"."process_instance"  ("status", "started_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_instance_initiator_status" ON "workflow"."process_instance"  ("initiator_id", "status") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."job" ("id" BIGSERIAL NOT NULL, "kind" character varying(32) NOT NULL DEFAULT 'timer', "instance_id" bigint NOT NULL, "timer_id" character varying(255) NOT NULL, "element_id" character varying(255) NOT NULL, "due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'pending', "attempts" integer NOT NULL DEFAULT '0', "last_error" character varying(2000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_98ab1c14ff8d1cf80d18703b92f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_job_pending_timer" ON "workflow"."job"  ("instance_id", "timer_id") WHERE status = 'pending'`,
    );
    await queryRunner.query(`CREATE INDEX "ix_job_due" ON "workflow"."job"  ("status", "due_at") `);
    await queryRunner.query(
      `CREATE TABLE "workflow"."outbox_event" ("id" uuid NOT NULL, "topic" character varying(64) NOT NULL, "instance_id" bigint, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "available_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "attempts" integer NOT NULL DEFAULT '0', "delivered_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_cc0c9e40998e45ecfc5e313429d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_outbox_pending" ON "workflow"."outbox_event"  ("delivered_at", "available_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."serial_counter" ("code" character varying(64) NOT NULL, "period" character varying(6) NOT NULL, "last_value" integer NOT NULL, CONSTRAINT "PK_021b9ef9543646e79f6d58e613f" PRIMARY KEY ("code", "period"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "workflow"."task" ("id" BIGSERIAL NOT NULL, "instance_id" bigint NOT NULL, "definition_id" bigint NOT NULL, "definition_key" character varying(255) NOT NULL, "process_name" character varying(255) NOT NULL, "category" character varying(64), "instance_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "initiator_id" character varying(64) NOT NULL, "element_id" character varying(255) NOT NULL, "execution_id" character varying(255) NOT NULL, "name" character varying(255) NOT NULL, "assignee_id" character varying(64), "owner_id" character varying(64), "delegation_state" character varying(16), "candidates" text array NOT NULL DEFAULT '{}', "form_key" character varying(255), "priority" integer, "due_at" TIMESTAMP WITH TIME ZONE, "status" character varying(16) NOT NULL DEFAULT 'open', "outcome" character varying(32), "mi_root_execution_id" character varying(255), "mi_index" integer, "mi_total" integer, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "claimed_at" TIMESTAMP WITH TIME ZONE, "ended_at" TIMESTAMP WITH TIME ZONE, "ended_by" character varying(64), CONSTRAINT "PK_fb213f79ee45060ba925ecd576e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_task_instance" ON "workflow"."task"  ("instance_id") `);
    await queryRunner.query(`CREATE INDEX "ix_task_ended_by" ON "workflow"."task"  ("ended_by") `);
    await queryRunner.query(
      `CREATE INDEX "ix_task_status_created" ON "workflow"."task"  ("status", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_task_assignee_status" ON "workflow"."task"  ("assignee_id", "status") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_task_execution" ON "workflow"."task"  ("instance_id", "execution_id") `,
    );
    // "My todo" is `candidates && $keys`: a GIN index (TypeORM cannot declare one, hence synchronize: false).
    await queryRunner.query(
      `CREATE INDEX "ix_task_candidates" ON "workflow"."task" USING GIN ("candidates")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_candidates"`);
    await queryRunner.query(`DROP INDEX "workflow"."uq_task_execution"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_assignee_status"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_status_created"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_ended_by"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_task_instance"`);
    await queryRunner.query(`DROP TABLE "workflow"."task"`);
    await queryRunner.query(`DROP TABLE "workflow"."serial_counter"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_outbox_pending"`);
    await queryRunner.query(`DROP TABLE "workflow"."outbox_event"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_job_due"`);
    await queryRunner.query(`DROP INDEX "workflow"."uq_job_pending_timer"`);
    await queryRunner.query(`DROP TABLE "workflow"."job"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_initiator_status"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_status_started"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_root"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_business_key"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_instance_definition_key"`);
    await queryRunner.query(`DROP TABLE "workflow"."process_instance"`);
    await queryRunner.query(`DROP TABLE "workflow"."idempotency_record"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_history_instance"`);
    await queryRunner.query(`DROP TABLE "workflow"."activity_history"`);
    await queryRunner.query(`DROP INDEX "workflow"."uq_definition_key_version"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_definition_category"`);
    await queryRunner.query(`DROP TABLE "workflow"."process_definition"`);
    await queryRunner.query(`DROP INDEX "workflow"."ix_comment_instance"`);
    await queryRunner.query(`DROP TABLE "workflow"."comment"`);
    await queryRunner.query(`DROP TABLE "workflow"."definition_category"`);
  }
}
