import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { WorkflowLinkHealthIndicator } from './workflow-link.health';

@Module({})
export class HealthModule {
  /** `graceMs`: SHUTDOWN_GRACE_MS, terminus's wait after SIGTERM with readiness already 503. */
  static forRoot(graceMs: number): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false, gracefulShutdownTimeoutMs: graceMs })],
      controllers: [HealthController],
      providers: [WorkflowLinkHealthIndicator],
    };
  }
}
