import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { WorkflowEnv } from '../config/workflow.env';
import { ReportsRepository } from './reports.repository';

/** Builds the reports' daily aggregates for TZ_BUSINESS before the app serves (a no-op once built). */
@Injectable()
export class ReportAggregatesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ReportAggregatesService.name);

  constructor(
    private readonly reports: ReportsRepository,
    private readonly config: WorkflowEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    if (await this.reports.ensureAggregates(this.config.TZ_BUSINESS))
      this.logger.log(
        `report aggregates rebuilt for ${this.config.TZ_BUSINESS} in ${Date.now() - started} ms`,
      );
  }
}
