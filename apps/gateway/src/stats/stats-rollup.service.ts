import { Injectable } from '@nestjs/common';
import { RebuildAtBoot } from '@app/common';
import { GatewayEnv } from '../config/gateway.env';
import { StatsRepository } from './stats.repository';

/** Builds the statistics' daily roll-up for TZ_BUSINESS before the gateway serves (a no-op once built). */
@Injectable()
export class StatsRollupService extends RebuildAtBoot {
  constructor(stats: StatsRepository, config: GatewayEnv) {
    super('CRM statistics roll-up', config.TZ_BUSINESS, (zone) => stats.ensureRollup(zone));
  }
}
