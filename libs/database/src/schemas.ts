import type { MixedList } from 'typeorm';
import { StaffEntity } from './core/entities/staff.entity';
import { CoreInit1795422259368 } from './core/migrations/1795422259368-CoreInit';
import { WorkflowInit1763884800001 } from './workflow/migrations/1763884800001-WorkflowInit';

/** Each app owns one schema, with its own entities, migrations and migrations table (DESIGN §1). */
export interface SchemaDefinition {
  name: 'core' | 'workflow';
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's own type
  migrations: MixedList<Function>;
}

export const CORE_SCHEMA: SchemaDefinition = {
  name: 'core',
  entities: [StaffEntity],
  migrations: [CoreInit1795422259368],
};

export const WORKFLOW_SCHEMA: SchemaDefinition = {
  name: 'workflow',
  entities: [],
  migrations: [WorkflowInit1763884800001],
};

export const SCHEMAS = { core: CORE_SCHEMA, workflow: WORKFLOW_SCHEMA } as const;
export type SchemaName = keyof typeof SCHEMAS;
