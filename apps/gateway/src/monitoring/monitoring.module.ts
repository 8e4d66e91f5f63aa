import { Module } from '@nestjs/common';
import { MonitoringController } from './monitoring.controller';

/** `GET /api/v1/monitoring/instances`, forwarded to the workflow app. */
@Module({ controllers: [MonitoringController] })
export class MonitoringModule {}
