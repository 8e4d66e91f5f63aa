import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { MonitoringController } from './monitoring.controller';
import { MonitoringRepository } from './monitoring.repository';
import { MonitoringService } from './monitoring.service';

/** Monitoring centre over the workflow schema (normal and abnormal running instances). */
@Module({
  imports: [IncidentsModule],
  controllers: [MonitoringController],
  providers: [MonitoringRepository, MonitoringService],
})
export class MonitoringModule {}
