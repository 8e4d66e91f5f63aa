import { Module } from '@nestjs/common';
import { TracingShutdown } from '@app/observability';
import { MetricsRepository } from './metrics.repository';
import { WorkflowGauges } from './workflow-metrics';

/** The workflow app's database gauges (outbox, due jobs) and the tracer's flush; /metrics is served in main.ts. */
@Module({ providers: [MetricsRepository, WorkflowGauges, TracingShutdown] })
export class MetricsModule {}
