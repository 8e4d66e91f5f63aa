import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Identity1795423235468 implements MigrationInterface {
  name = 'Identity1795423235468';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "core"."applications" ("id" BIGSERIAL NOT NULL, "type" character varying(16) NOT NULL, "client_id" character varying(64) NOT NULL, "name" character varying(64) NOT NULL, "note" character varying(1000), "secret_hash" character varying(64) NOT NULL, "secret_hint" character varying(8) NOT NULL, "secret_rotated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "permissions" text array NOT NULL DEFAULT '{}', "data_scope" character varying(32) NOT NULL DEFAULT 'all', "status" character varying(16) NOT NULL DEFAULT 'active', "created_by" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_938c0a27255637bde919591888f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_applications_client_id" ON "core"."applications"  ("client_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."audit_logs" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "action" character varying(64) NOT NULL, "actor_id" character varying(64), "actor_kind" character varying(16), "subject_staff_id" bigint, "target_type" character varying(32), "target_id" character varying(64), "ip" character varying(64), "request_id" character varying(128), "detail" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_1bb179d048bbc581caa3b013439" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_logs_subject" ON "core"."audit_logs"  ("subject_staff_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_audit_logs_action_at" ON "core"."audit_logs"  ("action", "at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_audit_logs_at" ON "core"."audit_logs"  ("at") `);
    await queryRunner.query(
      `CREATE TABLE "core"."departments" ("id" BIGSERIAL NOT NULL, "name" character varying(64) NOT NULL, "parent_id" bigint, "manager_id" bigint, "sort_order" integer NOT NULL DEFAULT '0', "note" character varying(1000), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_839517a681a86bb84cbcc6a1e9d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_departments_parent" ON "core"."departments"  ("parent_id") `);
    await queryRunner.query(
      `CREATE TABLE "core"."auth_sessions" ("id" uuid NOT NULL, "staff_id" bigint NOT NULL, "refresh_hash" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "refreshed_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_reason" character varying(32), "ip" character varying(64), "user_agent" character varying(255), CONSTRAINT "PK_641507381f32580e8479efc36cd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_auth_sessions_staff" ON "core"."auth_sessions"  ("staff_id") `);
    await queryRunner.query(
      `CREATE TABLE "core"."menus" ("id" BIGSERIAL NOT NULL, "name" character varying(64) NOT NULL, "content" character varying(1000), "note" character varying(1000), "permissions" text array NOT NULL DEFAULT '{}', "sort_order" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3fec3d93327f4538e0cbd4349c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."roles" ("id" BIGSERIAL NOT NULL, "code" character varying(64) NOT NULL, "name" character varying(64) NOT NULL, "description" character varying(1000), "permissions" text array NOT NULL DEFAULT '{}', "data_scope" character varying(32) NOT NULL DEFAULT 'own', "is_system" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c1433d71a4838793a49dcad46ab" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_roles_code" ON "core"."roles"  ("code") `);
    await queryRunner.query(
      `CREATE TABLE "core"."staff_groups" ("id" BIGSERIAL NOT NULL, "name" character varying(64) NOT NULL, "detail" character varying(1000), "status" character varying(16) NOT NULL DEFAULT 'enabled', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_56653a5fa6c479171c4cdba7d49" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."staff_group_members" ("staff_id" bigint NOT NULL, "group_id" bigint NOT NULL, CONSTRAINT "PK_f2cef0a6ac0a4cab2bdd4247fe9" PRIMARY KEY ("staff_id", "group_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_staff_group_members_group" ON "core"."staff_group_members"  ("group_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."staff_roles" ("staff_id" bigint NOT NULL, "role_id" bigint NOT NULL, CONSTRAINT "PK_09dcf40ba9930716bc73a29fdfd" PRIMARY KEY ("staff_id", "role_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_staff_roles_role" ON "core"."staff_roles"  ("role_id") `);
    await queryRunner.query(
      `CREATE TABLE "core"."staff_group_menus" ("group_id" bigint NOT NULL, "menu_id" bigint NOT NULL, CONSTRAINT "PK_7744e0841c434ff9bb776c37143" PRIMARY KEY ("group_id", "menu_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_staff_group_menus_menu" ON "core"."staff_group_menus"  ("menu_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "core"."staff_menus" ("staff_id" bigint NOT NULL, "menu_id" bigint NOT NULL, CONSTRAINT "PK_fb5b8faf062fbb5c405665d6463" PRIMARY KEY ("staff_id", "menu_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_staff_menus_menu" ON "core"."staff_menus"  ("menu_id") `);
    await queryRunner.query(
      `CREATE TABLE "core"."rate_limit_counters" ("key" character varying(200) NOT NULL, "hits" integer NOT NULL, "window_ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ad665f1998311a7bd0e8265365d" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rate_limit_counters_window" ON "core"."rate_limit_counters"  ("window_ends_at") `,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff" RENAME COLUMN "name" TO "real_name"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "token_version"`);
    // The system roles (A-42: role_id 1 管理员 = admin, 2 员工 = staff, 3 通讯员 = courier). Permission codes
    // are frozen here as they were when this migration was written; libs/auth holds the live catalogue.
    await queryRunner.query(
      `INSERT INTO "core"."roles" ("code", "name", "description", "permissions", "data_scope", "is_system") VALUES ('super_admin', '超级管理员', 'Every permission, every record', '{*}', 'all', true), ('admin', '管理员', 'Directory, access and audit administration', '{department:read,department:write,group:read,group:write,role:read,role:write,menu:read,menu:write,staff:read,staff:write,staff:grant,staff:password-reset,application:read,application:write,audit:read}', 'all', true), ('staff', '员工', 'A member of staff: reads the directory, sees own records', '{department:read,group:read,staff:read}', 'own', true), ('courier', '通讯员', 'A courier: sees own records', '{department:read}', 'own', true)`,
    );
    // The former is_super_admin flag becomes the super_admin role.
    await queryRunner.query(
      `INSERT INTO "core"."staff_roles" ("staff_id", "role_id") SELECT s."id", r."id" FROM "core"."staff" s, "core"."roles" r WHERE s."is_super_admin" AND r."code" = 'super_admin'`,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "is_super_admin"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "employee_no" character varying(32)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "nick_name" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "avatar_url" character varying(2048)`);
    await queryRunner.query(
      `ALTER TABLE "core"."staff" ADD "sex" character varying(8) NOT NULL DEFAULT 'unknown'`,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "title" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "birthday" date`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "address" character varying(255)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "school" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "education" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "political_affiliation" character varying(64)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "open_id" character varying(128)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "info" character varying(1000)`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "entry_time" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "official_time" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "resign_time" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "note" character varying(1000)`);
    await queryRunner.query(
      `ALTER TABLE "core"."staff" ADD "type" character varying(16) NOT NULL DEFAULT 'staff'`,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "department_id" bigint`);
    await queryRunner.query(
      `ALTER TABLE "core"."staff" ADD "must_change_password" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "password_changed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "last_login_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ALTER COLUMN "password_hash" DROP NOT NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_staff_employee_no" ON "core"."staff"  ("employee_no") WHERE employee_no IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_staff_department" ON "core"."staff"  ("department_id") `);
    await queryRunner.query(
      `ALTER TABLE "core"."departments" ADD CONSTRAINT "fk_departments_parent" FOREIGN KEY ("parent_id") REFERENCES "core"."departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."departments" ADD CONSTRAINT "fk_departments_manager" FOREIGN KEY ("manager_id") REFERENCES "core"."staff"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff" ADD CONSTRAINT "fk_staff_department" FOREIGN KEY ("department_id") REFERENCES "core"."departments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."auth_sessions" ADD CONSTRAINT "fk_auth_sessions_staff" FOREIGN KEY ("staff_id") REFERENCES "core"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_members" ADD CONSTRAINT "fk_staff_group_members_staff" FOREIGN KEY ("staff_id") REFERENCES "core"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_members" ADD CONSTRAINT "fk_staff_group_members_group" FOREIGN KEY ("group_id") REFERENCES "core"."staff_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_roles" ADD CONSTRAINT "fk_staff_roles_staff" FOREIGN KEY ("staff_id") REFERENCES "core"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_roles" ADD CONSTRAINT "fk_staff_roles_role" FOREIGN KEY ("role_id") REFERENCES "core"."roles"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_menus" ADD CONSTRAINT "fk_staff_group_menus_group" FOREIGN KEY ("group_id") REFERENCES "core"."staff_groups"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_menus" ADD CONSTRAINT "fk_staff_group_menus_menu" FOREIGN KEY ("menu_id") REFERENCES "core"."menus"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_menus" ADD CONSTRAINT "fk_staff_menus_staff" FOREIGN KEY ("staff_id") REFERENCES "core"."staff"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_menus" ADD CONSTRAINT "fk_staff_menus_menu" FOREIGN KEY ("menu_id") REFERENCES "core"."menus"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "core"."staff_menus" DROP CONSTRAINT "fk_staff_menus_menu"`);
    await queryRunner.query(`ALTER TABLE "core"."staff_menus" DROP CONSTRAINT "fk_staff_menus_staff"`);
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_menus" DROP CONSTRAINT "fk_staff_group_menus_menu"`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_menus" DROP CONSTRAINT "fk_staff_group_menus_group"`,
    );
    await queryRunner.query(`ALTER TABLE "core"."staff_roles" DROP CONSTRAINT "fk_staff_roles_role"`);
    await queryRunner.query(`ALTER TABLE "core"."staff_roles" DROP CONSTRAINT "fk_staff_roles_staff"`);
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_members" DROP CONSTRAINT "fk_staff_group_members_group"`,
    );
    await queryRunner.query(
      `ALTER TABLE "core"."staff_group_members" DROP CONSTRAINT "fk_staff_group_members_staff"`,
    );
    await queryRunner.query(`ALTER TABLE "core"."auth_sessions" DROP CONSTRAINT "fk_auth_sessions_staff"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP CONSTRAINT "fk_staff_department"`);
    await queryRunner.query(`ALTER TABLE "core"."departments" DROP CONSTRAINT "fk_departments_manager"`);
    await queryRunner.query(`ALTER TABLE "core"."departments" DROP CONSTRAINT "fk_departments_parent"`);
    await queryRunner.query(`DROP INDEX "core"."ix_staff_department"`);
    await queryRunner.query(`DROP INDEX "core"."uq_staff_employee_no"`);
    await queryRunner.query(`UPDATE "core"."staff" SET "password_hash" = '!' WHERE "password_hash" IS NULL`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ALTER COLUMN "password_hash" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "last_login_at"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "password_changed_at"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "must_change_password"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "department_id"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "type"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "note"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "resign_time"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "official_time"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "entry_time"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "info"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "open_id"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "political_affiliation"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "education"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "school"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "address"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "birthday"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "title"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "sex"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "avatar_url"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "nick_name"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" RENAME COLUMN "real_name" TO "name"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" DROP COLUMN "employee_no"`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "token_version" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "core"."staff" ADD "is_super_admin" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(
      `UPDATE "core"."staff" s SET "is_super_admin" = true FROM "core"."staff_roles" sr JOIN "core"."roles" r ON r."id" = sr."role_id" WHERE sr."staff_id" = s."id" AND r."code" = 'super_admin'`,
    );
    await queryRunner.query(`DROP INDEX "core"."ix_rate_limit_counters_window"`);
    await queryRunner.query(`DROP TABLE "core"."rate_limit_counters"`);
    await queryRunner.query(`DROP INDEX "core"."ix_staff_menus_menu"`);
    await queryRunner.query(`DROP TABLE "core"."staff_menus"`);
    await queryRunner.query(`DROP INDEX "core"."ix_staff_group_menus_menu"`);
    await queryRunner.query(`DROP TABLE "core"."staff_group_menus"`);
    await queryRunner.query(`DROP INDEX "core"."ix_staff_roles_role"`);
    await queryRunner.query(`DROP TABLE "core"."staff_roles"`);
    await queryRunner.query(`DROP INDEX "core"."ix_staff_group_members_group"`);
    await queryRunner.query(`DROP TABLE "core"."staff_group_members"`);
    await queryRunner.query(`DROP TABLE "core"."staff_groups"`);
    await queryRunner.query(`DROP INDEX "core"."uq_roles_code"`);
    await queryRunner.query(`DROP TABLE "core"."roles"`);
    await queryRunner.query(`DROP TABLE "core"."menus"`);
    await queryRunner.query(`DROP INDEX "core"."ix_auth_sessions_staff"`);
    await queryRunner.query(`DROP TABLE "core"."auth_sessions"`);
    await queryRunner.query(`DROP INDEX "core"."ix_departments_parent"`);
    await queryRunner.query(`DROP TABLE "core"."departments"`);
    await queryRunner.query(`DROP INDEX "core"."ix_audit_logs_at"`);
    await queryRunner.query(`DROP INDEX "core"."ix_audit_logs_action_at"`);
    await queryRunner.query(`DROP INDEX "core"."ix_audit_logs_subject"`);
    await queryRunner.query(`DROP TABLE "core"."audit_logs"`);
    await queryRunner.query(`DROP INDEX "core"."uq_applications_client_id"`);
    await queryRunner.query(`DROP TABLE "core"."applications"`);
  }
}
