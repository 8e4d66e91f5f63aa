import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFINITIONS_CHANGED_CHANNEL } from '../definition.entity';

/**
 * Every statement that changes process definitions (deploy, suspend, category, anything else) notifies
 * DEFINITIONS_CHANGED_CHANNEL; PostgreSQL delivers it on commit to every listener. The gateways' cache of
 * the definitions list forgets on it, so a change made through one replica reaches the others.
 */
export class DefinitionsChanged1796428052056 implements MigrationInterface {
  name = 'DefinitionsChanged1796428052056';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE FUNCTION "workflow"."notify_definitions_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${DEFINITIONS_CHANGED_CHANNEL}', '');
         RETURN NULL;
       END $$`,
    );
    for (const event of ['INSERT OR UPDATE OR DELETE', 'TRUNCATE'])
      await queryRunner.query(
        `CREATE TRIGGER "process_definition_changed_${event === 'TRUNCATE' ? 'truncate' : 'rows'}"
         AFTER ${event} ON "workflow"."process_definition"
         FOR EACH STATEMENT EXECUTE FUNCTION "workflow"."notify_definitions_changed"()`,
      );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER "process_definition_changed_rows" ON "workflow"."process_definition"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "process_definition_changed_truncate" ON "workflow"."process_definition"`,
    );
    await queryRunner.query(`DROP FUNCTION "workflow"."notify_definitions_changed"()`);
  }
}
