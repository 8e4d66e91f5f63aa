import { type DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LinkModule } from '../link/link.module';
import { HealthController } from './health.controller';
import { SystemController } from './system.controller';

/** Ping over the link and HTTP health for orchestrators. */
@Module({})
export class SystemModule {
  /** `graceMs`: SHUTDOWN_GRACE_MS, terminus's wait after SIGTERM with readiness already 503. */
  static forRoot(graceMs: number): DynamicModule {
    return {
      module: SystemModule,
      imports: [TerminusModule.forRoot({ logger: false, gracefulShutdownTimeoutMs: graceMs }), LinkModule],
      controllers: [SystemController, HealthController],
    };
  }
}
