import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { createValidationPipe, EnvelopeInterceptor, pinoOptions } from '@app/common';
import { dataSourceOptions, WORKFLOW_SCHEMA } from '@app/database';
import { WorkflowEnv } from './config/workflow.env';
import { HealthController } from './health/health.controller';
import { LinkSecretGuard } from './link/link.guard';
import { WorkflowExceptionFilter } from './link/workflow-exception.filter';
import { SystemController } from './system/system.controller';

@Module({})
export class WorkflowAppModule {
  static forRoot(config: WorkflowEnv): DynamicModule {
    return {
      module: WorkflowAppModule,
      global: true,
      imports: [
        LoggerModule.forRoot(pinoOptions('workflow', config.LOG_LEVEL, config.LOG_PRETTY)),
        TypeOrmModule.forRoot(
          dataSourceOptions(WORKFLOW_SCHEMA, {
            url: config.DATABASE_URL,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: 'flowdesk-workflow',
          }),
        ),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [SystemController, HealthController],
      providers: [
        { provide: WorkflowEnv, useValue: config },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: WorkflowExceptionFilter },
        { provide: APP_GUARD, useClass: LinkSecretGuard },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
      ],
      exports: [WorkflowEnv],
    };
  }
}
