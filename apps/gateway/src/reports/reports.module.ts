import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';

/** `GET /api/v1/reports/*`, forwarded to the workflow app. */
@Module({ controllers: [ReportsController] })
export class ReportsModule {}
