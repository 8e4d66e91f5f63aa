import { DataSource, type DataSourceOptions } from 'typeorm';
import type { SchemaDefinition } from './schemas';

export interface DatabaseSettings {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

export function dataSourceOptions(schema: SchemaDefinition, settings: DatabaseSettings): DataSourceOptions {
  return {
    type: 'postgres',
    url: settings.url,
    schema: schema.name,
    entities: schema.entities,
    migrations: schema.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName: settings.applicationName ?? `flowdesk-${schema.name}`,
    extra: { max: settings.poolSize ?? 10 },
  };
}

export function createDataSource(schema: SchemaDefinition, settings: DatabaseSettings): DataSource {
  return new DataSource(dataSourceOptions(schema, settings));
}
