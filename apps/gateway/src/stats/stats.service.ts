import { Injectable } from '@nestjs/common';
import type { Actor } from '@app/contracts';
import { type Page, toPage } from '@app/common';
import { GatewayEnv } from '../config/gateway.env';
import { iso, ONE_WEEK_MS, resolveWindow } from '../crm/shared/crm-dto';
import type { DemandStatsDto, FollowUpStatsDto, SigningStatsDto, StatsQueryDto } from './stats.dto';
import {
  type StatsFilter,
  type StatsOrder,
  StatsRepository,
  type StatsRow,
  type Totals,
} from './stats.repository';

/**
 * Statistics of seed 001 (signing, demand changes, follow-ups per organization and period). `/api/v1` pages
 * carry a capped total with `more` (as the CRM lists); the seed 001 surface asks for `exact` totals.
 */
@Injectable()
export class StatsService {
  constructor(
    private readonly stats: StatsRepository,
    private readonly config: GatewayEnv,
  ) {}

  async signing(
    actor: Actor,
    query: StatsQueryDto,
    totals: Totals = 'capped',
    order?: StatsOrder,
  ): Promise<Page<SigningStatsDto>> {
    const [rows, total, more] = await this.stats.signing(actor, { ...this.filter(query), order }, totals);
    return toPage(
      rows.map((r) => ({
        ...this.base(r),
        signAmount: r.total ?? '0.00',
        signCount: r.n,
        firstSignTime: r.first.toISOString(),
      })),
      total,
      query,
      totals === 'capped' ? more : undefined,
    );
  }

  async demands(
    actor: Actor,
    query: StatsQueryDto,
    totals: Totals = 'capped',
    order?: StatsOrder,
  ): Promise<Page<DemandStatsDto>> {
    const [rows, total, more] = await this.stats.demandChanges(
      actor,
      { ...this.filter(query), order },
      totals,
    );
    return toPage(
      rows.map((r) => ({ ...this.base(r), demandCount: r.n, firstRecordTime: r.first.toISOString() })),
      total,
      query,
      totals === 'capped' ? more : undefined,
    );
  }

  async followUps(
    actor: Actor,
    query: StatsQueryDto,
    totals: Totals = 'capped',
    order?: StatsOrder,
  ): Promise<Page<FollowUpStatsDto>> {
    const [rows, total, more] = await this.stats.followUpVisits(
      actor,
      { ...this.filter(query), order },
      totals,
    );
    return toPage(
      rows.map((r) => ({ ...this.base(r), followUpCount: r.n, firstRecordTime: r.first.toISOString() })),
      total,
      query,
      totals === 'capped' ? more : undefined,
    );
  }

  private filter(query: StatsQueryDto): StatsFilter {
    return {
      window: resolveWindow(query, this.config.TZ_BUSINESS, ONE_WEEK_MS),
      organizationIds: query.organizationIds,
      bucket: query.bucket,
      timeZone: this.config.TZ_BUSINESS,
      pageNum: query.pageNum,
      pageSize: query.pageSize,
    };
  }

  private base(r: StatsRow) {
    return {
      organizationId: r.organizationId,
      organizationName: r.organizationName,
      bucket: r.bucket,
      bucketStart: iso(r.bucketStart),
    };
  }
}
