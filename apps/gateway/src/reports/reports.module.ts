import { Module } from '@nestjs/common';
import { StaffNamesRepository } from '../identity/shared/staff-names.repository';
import { ReportsController } from './reports.controller';

/** `GET /api/v1/reports/*`, forwarded to the workflow app. */
@Module({ controllers: [ReportsController], providers: [StaffNamesRepository] })
export class ReportsModule {}
