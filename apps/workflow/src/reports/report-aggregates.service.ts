import { Injectable } from '@nestjs/common';
import { RebuildAtBoot } from '@app/common';
import { WorkflowEnv } from '../config/workflow.env';
import { ReportsRepository } from './reports.repository';

/** Builds the reports' daily aggregates for TZ_BUSINESS before the app serves (a no-op once built). */
@Injectable()
export class ReportAggregatesService extends RebuildAtBoot {
  constructor(reports: ReportsRepository, config: WorkflowEnv) {
    super('report aggregates', config.TZ_BUSINESS, (zone) => reports.ensureAggregates(zone));
  }
}
