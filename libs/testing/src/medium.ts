import type { DataSource } from 'typeorm';
import type { SchemaDefinition } from '@app/database';
import { database } from './lazy-libs';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface MediumDatabase {
  db: TestDatabase;
  /** A connected data source for `schema` on this file's database (closed by `stop`). */
  connect(schema: SchemaDefinition): Promise<DataSource>;
  stop(): Promise<void>;
}

/**
 * The medium layer's database: a clone of the migrated template for one test file, and data
 * sources on it for the schemas the file needs (the app modules under test open their own).
 */
export async function createMediumDatabase(label: string): Promise<MediumDatabase> {
  const db = await createTestDatabase(label);
  const open: DataSource[] = [];
  return {
    db,
    async connect(schema) {
      const dataSource = database().createDataSource(schema, { url: db.url, poolSize: 4 });
      open.push(await dataSource.initialize());
      return dataSource;
    },
    async stop() {
      await Promise.all(open.map((d) => d.destroy()));
      await db.drop();
    },
  };
}
