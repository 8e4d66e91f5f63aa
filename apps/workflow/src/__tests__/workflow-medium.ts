import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { Test, type TestingModule } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type WorkflowPattern } from '@app/contracts';
import { CORE_SCHEMA } from '@app/database';
import {
  createMediumDatabase,
  DirectoryFactory,
  type MediumDatabase,
  type WorkflowCaller,
  WorkflowFactory,
} from '@app/testing';
import { WorkflowAppModule } from '../app.module';
import { WorkflowEnv } from '../config/workflow.env';

export interface WorkflowMedium {
  database: MediumDatabase;
  app: TestingModule;
  /** The workflow schema's data source of the app under test. */
  dataSource: DataSource;
  /** A message pattern → its controller method, in-process (the commands are validated by `create`). */
  call: WorkflowCaller;
  workflow: WorkflowFactory;
  directory: DirectoryFactory;
  stop(): Promise<void>;
}

/**
 * The medium layer of the workflow app: the real module graph (every feature module, TypeORM, the
 * engine) on this file's own PostgreSQL database, without processes or ports. Pollers are off:
 * a test runs the job it wants.
 */
export async function startWorkflowMedium(label: string): Promise<WorkflowMedium> {
  const database = await createMediumDatabase(label);
  const config = Object.assign(new WorkflowEnv(), {
    DATABASE_URL: database.db.url,
    DATABASE_POOL_SIZE: 10,
    LOG_LEVEL: 'error',
    LOG_PRETTY: false,
    TZ_BUSINESS: 'Asia/Shanghai',
    WORKFLOW_JOB_POLL_MS: 0,
  });
  const app = await Test.createTestingModule({
    imports: [WorkflowAppModule.forRoot(config), DiscoveryModule],
  }).compile();
  await app.init();
  const handlers = new Map<string, (command: unknown) => unknown>();
  for (const wrapper of app.get(DiscoveryService).getControllers()) {
    const instance = wrapper.instance as Record<string, (command: unknown) => unknown> | undefined;
    if (!instance) continue;
    const proto = Object.getPrototypeOf(instance) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, proto[name] as object) as unknown[] | undefined;
      for (const pattern of patterns ?? []) handlers.set(String(pattern), (c) => instance[name]!(c));
    }
  }
  const call = (async (pattern: WorkflowPattern, command: unknown) => {
    const handler = handlers.get(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    return handler(command);
  }) as WorkflowCaller;
  const core = await database.connect(CORE_SCHEMA);
  return {
    database,
    app,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    call,
    workflow: new WorkflowFactory(call),
    directory: new DirectoryFactory(core),
    async stop() {
      await app.close();
      await database.stop();
    },
  };
}
