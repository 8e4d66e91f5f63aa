import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { DemandStatsDto, FollowUpStatsDto, SigningStatsDto, StatsQueryDto } from './stats.dto';
import { StatsService } from './stats.service';

const TOTALS =
  'Rows are ordered by organization id, then bucket. `total` counts the groups (organizations, or organization and ' +
  'bucket) exactly up to 1,000; beyond that it is 1,000 with `more: true`, and paging past it still returns rows.';

@PlatformController('stats', 'crm: statistics')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get('signing')
  @RequirePermissions('stats:read')
  @ApiOperation({
    summary: '签约金额、次数 per organization in the window (default one week), optionally per bucket',
    description: TOTALS,
  })
  @ApiGuarded(SigningStatsDto, { paged: true })
  signing(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto): Promise<Page<SigningStatsDto>> {
    return this.stats.signing(actor, query);
  }

  @Get('demands')
  @RequirePermissions('stats:read')
  @ApiOperation({
    summary: '需求变更次数 per organization in the window, optionally per bucket',
    description: TOTALS,
  })
  @ApiGuarded(DemandStatsDto, { paged: true })
  demands(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto): Promise<Page<DemandStatsDto>> {
    return this.stats.demands(actor, query);
  }

  @Get('follow-ups')
  @RequirePermissions('stats:read')
  @ApiOperation({
    summary: '跟进次数 per organization in the window, optionally per bucket',
    description: TOTALS,
  })
  @ApiGuarded(FollowUpStatsDto, { paged: true })
  followUps(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto): Promise<Page<FollowUpStatsDto>> {
    return this.stats.followUps(actor, query);
  }
}
