import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { ReportsController } from './reports.controller';

/** `GET /api/v1/reports/*`, forwarded to the workflow app. */
@Module({ imports: [IdentityModule], controllers: [ReportsController] })
export class ReportsModule {}
