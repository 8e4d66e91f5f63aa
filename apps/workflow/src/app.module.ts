import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { createValidationPipe, EnvelopeInterceptor, pinoOptions } from '@app/common';
import { dataSourceOptions, ProcessDefinitionEntity, WORKFLOW_SCHEMA } from '@app/database';
import { WorkflowEnv } from './config/workflow.env';
import { DefinitionRegistry } from './definitions/definition.registry';
import { DefinitionsController } from './definitions/definitions.controller';
import { DefinitionsRepository } from './definitions/definitions.repository';
import { DefinitionsService } from './definitions/definitions.service';
import { EventsController } from './events/events.controller';
import { EventsService } from './events/events.service';
import { ExecutionService } from './execution/execution.service';
import { HealthController } from './health/health.controller';
import { InstancesController } from './instances/instances.controller';
import { InstancesService } from './instances/instances.service';
import { JobRunnerService } from './jobs/job-runner.service';
import { JobsController } from './jobs/jobs.controller';
import { JobsService } from './jobs/jobs.service';
import { LinkServerState } from './link/link-server';
import { LinkSecretGuard } from './link/link.guard';
import { MonitoringModule } from './monitoring/monitoring.module';
import { WorkflowExceptionFilter } from './link/workflow-exception.filter';
import { InstanceOperationsService } from './operations/instance-operations.service';
import { MovePlanner } from './operations/move-planner.service';
import { OperationsController } from './operations/operations.controller';
import { ReportsModule } from './reports/reports.module';
import { TaskOperationsService } from './operations/task-operations.service';
import { SystemController } from './system/system.controller';
import { TasksController } from './tasks/tasks.controller';
import { TasksService } from './tasks/tasks.service';
import {
  WORK_ORDER_CENTRE_CONTROLLERS,
  WORK_ORDER_CENTRE_PROVIDERS,
} from './work-orders/work-order-centre.providers';

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
        TypeOrmModule.forFeature([ProcessDefinitionEntity]),
        TerminusModule.forRoot({ logger: false }),
        MonitoringModule,
        ReportsModule,
      ],
      controllers: [
        SystemController,
        HealthController,
        DefinitionsController,
        InstancesController,
        TasksController,
        OperationsController,
        EventsController,
        JobsController,
        ...WORK_ORDER_CENTRE_CONTROLLERS,
      ],
      providers: [
        { provide: WorkflowEnv, useValue: config },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: WorkflowExceptionFilter },
        { provide: APP_GUARD, useClass: LinkSecretGuard },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        LinkServerState,
        DefinitionRegistry,
        DefinitionsRepository,
        DefinitionsService,
        ExecutionService,
        InstancesService,
        TasksService,
        MovePlanner,
        TaskOperationsService,
        InstanceOperationsService,
        EventsService,
        JobRunnerService,
        JobsService,
        ...WORK_ORDER_CENTRE_PROVIDERS,
      ],
      exports: [WorkflowEnv],
    };
  }
}
