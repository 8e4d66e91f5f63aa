import { Module } from '@nestjs/common';
import { MetricsRepository } from './metrics.repository';
import { WorkflowGauges } from './workflow-metrics';

/** The workflow app's database gauges (outbox, due jobs); /metrics itself is served in main.ts. */
@Module({ providers: [MetricsRepository, WorkflowGauges] })
export class MetricsModule {}
