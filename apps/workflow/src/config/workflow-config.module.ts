import { type DynamicModule, Module } from '@nestjs/common';
import { WorkflowEnv } from './workflow.env';

/** The loaded `WorkflowEnv`, global: every feature module injects it without importing this one. */
@Module({})
export class WorkflowConfigModule {
  static forRoot(config: WorkflowEnv): DynamicModule {
    return {
      module: WorkflowConfigModule,
      global: true,
      providers: [{ provide: WorkflowEnv, useValue: config }],
      exports: [WorkflowEnv],
    };
  }
}
