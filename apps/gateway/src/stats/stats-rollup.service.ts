import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { GatewayEnv } from '../config/gateway.env';
import { StatsRepository } from './stats.repository';

/** Builds the statistics' daily roll-up for TZ_BUSINESS before the gateway serves (a no-op once built). */
@Injectable()
export class StatsRollupService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StatsRollupService.name);

  constructor(
    private readonly stats: StatsRepository,
    private readonly config: GatewayEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const started = Date.now();
    if (await this.stats.ensureRollup(this.config.TZ_BUSINESS))
      this.logger.log(
        `CRM statistics roll-up rebuilt for ${this.config.TZ_BUSINESS} in ${Date.now() - started} ms`,
      );
  }
}
