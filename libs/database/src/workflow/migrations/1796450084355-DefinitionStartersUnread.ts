import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The versions whose starters are unread (starters IS NULL), queried before every startable list: a
 * partial index that is empty once every version has been read, so that query costs an index probe
 * whatever the number of versions (test: definitions-starters-index.medium-spec.ts).
 */
export class DefinitionStartersUnread1796450084355 implements MigrationInterface {
  name = 'DefinitionStartersUnread1796450084355';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "ix_definition_starters_unread" ON "workflow"."process_definition"  ("id") WHERE starters IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "workflow"."ix_definition_starters_unread"`);
  }
}
