import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { WorkflowLinkHealthIndicator } from './workflow-link.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [WorkflowLinkHealthIndicator],
})
export class HealthModule {}
