import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { createValidationPipe, HttpEdgeInterceptor, HttpExceptionFilter, pinoOptions } from '@app/common';
import { CORE_SCHEMA, dataSourceOptions } from '@app/database';
import { QueryCountingLogger, TracingShutdown } from '@app/observability';
import { GatewayEnv } from './config/gateway.env';
import { AttachmentsModule } from './attachments/attachments.module';
import { CrmModule } from './crm/crm.module';
import { DataModelsModule } from './data-models/data-models.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { DingTalkModule } from './integrations/dingtalk/dingtalk.module';
import { ErpModule } from './integrations/erp/erp.module';
import { MonitoringModule } from './monitoring/monitoring.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { ReportsModule } from './reports/reports.module';
import { StatsModule } from './stats/stats.module';
import { WorkflowClientModule } from './workflow-client/workflow-client.module';
import { WorkflowModule } from './workflow/workflow.module';
import { LegacyHttpModule } from './legacy/legacy-http.module';
import { OpportunityLegacyModule } from './legacy/opportunity/opportunity.module';
import { CrmBackendModule } from './legacy/crm-backend/crm-backend.module';
import { WorkOrderCenterLegacyModule } from './legacy/work-order-center/work-order-center.module';
import { SalesAssistantLegacyModule } from './legacy/sales-assistant/sales-assistant.module';
import { FlowServiceLegacyModule } from './legacy/flow-service/flow-service.module';
import { WorkflowEventsModule } from './workflow-events/workflow-events.module';
import { WorkOrdersModule } from './work-orders/work-orders.module';
import { FormsModule } from './forms/forms.module';

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayEnv): DynamicModule {
    return {
      module: GatewayModule,
      global: true,
      imports: [
        LoggerModule.forRoot(pinoOptions('gateway', config.LOG_LEVEL, config.LOG_PRETTY)),
        TypeOrmModule.forRoot({
          ...dataSourceOptions(CORE_SCHEMA, {
            url: config.DATABASE_URL,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: 'flowdesk-gateway',
          }),
          logger: new QueryCountingLogger(), // flowdesk_db_queries_total: round trips per command (docs/scaling.md)
        }),
        WorkflowClientModule.forRoot({
          transport: config.WORKFLOW_TRANSPORT,
          host: config.WORKFLOW_HOST,
          port: config.WORKFLOW_TCP_PORT,
          natsServers: config.NATS_SERVERS,
          natsSubjectPrefix: config.NATS_SUBJECT_PREFIX,
          timeoutMs: config.WORKFLOW_TIMEOUT_MS,
          linkSecret: config.WORKFLOW_LINK_SECRET,
        }),
        HealthModule.forRoot(config.SHUTDOWN_GRACE_MS),
        IdentityModule,
        RateLimitModule,
        CrmModule,
        AttachmentsModule,
        DataModelsModule,
        StatsModule,
        WorkflowModule,
        WorkflowEventsModule,
        WorkOrdersModule,
        FormsModule,
        MonitoringModule,
        ReportsModule,
        ErpModule,
        DingTalkModule,
        LegacyHttpModule,
        OpportunityLegacyModule,
        CrmBackendModule,
        WorkOrderCenterLegacyModule,
        SalesAssistantLegacyModule,
        FlowServiceLegacyModule,
      ],
      providers: [
        { provide: GatewayEnv, useValue: config },
        TracingShutdown,
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        // the only interceptor: input limits checked before anything reads the input, then the envelope
        { provide: APP_INTERCEPTOR, useClass: HttpEdgeInterceptor },
      ],
      exports: [GatewayEnv],
    };
  }
}
