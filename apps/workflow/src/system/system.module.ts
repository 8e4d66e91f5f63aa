import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { LinkModule } from '../link/link.module';
import { HealthController } from './health.controller';
import { SystemController } from './system.controller';

/** Ping over the link and HTTP health for orchestrators. */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), LinkModule],
  controllers: [SystemController, HealthController],
})
export class SystemModule {}
