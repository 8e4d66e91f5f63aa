import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { pinoOptions } from '@app/common';
import { dataSourceOptions, WORKFLOW_SCHEMA } from '@app/database';
import { QueryCountingLogger } from '@app/observability';
import { AfterCommitModule } from './common/after-commit.module';
import { WorkflowConfigModule } from './config/workflow-config.module';
import { WorkflowEnv } from './config/workflow.env';
import { BpmnEventsModule } from './bpmn-events/bpmn-events.module';
import { DefinitionsModule } from './definitions/definitions.module';
import { EventsModule } from './events/events.module';
import { ExecutionModule } from './execution/execution.module';
import { ExternalTasksModule } from './external-tasks/external-tasks.module';
import { FormsModule } from './forms/forms.module';
import { InstancesModule } from './instances/instances.module';
import { JobsModule } from './jobs/jobs.module';
import { LinkModule } from './link/link.module';
import { MetricsModule } from './metrics/metrics.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { ReportsModule } from './reports/reports.module';
import { SlaModule } from './sla/sla.module';
import { SystemModule } from './system/system.module';
import { TasksModule } from './tasks/tasks.module';
import { TimerStartsModule } from './timer-starts/timer-starts.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';

/** The workflow app: infrastructure (config, logs, database, the link's pipes) and one module per feature. */
@Module({})
export class WorkflowAppModule {
  static forRoot(config: WorkflowEnv): DynamicModule {
    return {
      module: WorkflowAppModule,
      imports: [
        WorkflowConfigModule.forRoot(config),
        LoggerModule.forRoot(pinoOptions('workflow', config.LOG_LEVEL, config.LOG_PRETTY)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(WORKFLOW_SCHEMA, {
            url: config.DATABASE_URL,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: 'flowdesk-workflow',
          }),
          logger: new QueryCountingLogger(), // flowdesk_db_queries_total: round trips per command (docs/scaling.md)
        }),
        AfterCommitModule,
        LinkModule,
        SystemModule.forRoot(config.SHUTDOWN_GRACE_MS),
        DefinitionsModule,
        ExecutionModule,
        InstancesModule,
        TasksModule,
        FormsModule,
        WorkOrdersModule,
        JobsModule,
        BpmnEventsModule,
        ExternalTasksModule,
        TimerStartsModule,
        SlaModule,
        EventsModule,
        MonitoringModule,
        ReportsModule,
        MetricsModule,
      ],
    };
  }
}
