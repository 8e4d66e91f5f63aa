import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, CurrentActor, RequirePermissions } from '@app/auth';
import { RawResponse } from '@app/common';
import { CrmBackendRecordsService } from './crm-backend-records.service';
import { CrmBackendStatusFilter } from './crm-backend-status.filter';
import { CRM_BACKEND_TAG } from './crm-backend-user.controller';
import { StatsQueryDto } from './crm-backend.dto';

/** Seed 001 `/api/stats/*`: per-organization counts in the caller's data scope (A-38). */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/stats')
export class CrmBackendStatsController {
  constructor(private readonly legacy: CrmBackendRecordsService) {}

  @Get('sign')
  @RequirePermissions('stats:read')
  @ApiOperation({ summary: '签约金额、次数统计 (→ GET /api/v1/stats/signing)' })
  sign(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto) {
    return this.legacy.signing(actor, query);
  }

  @Get('demand')
  @RequirePermissions('stats:read')
  @ApiOperation({ summary: '需求变跟次数统计, data = [rows, page_info] (→ GET /api/v1/stats/demands)' })
  demand(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto) {
    return this.legacy.demandCounts(actor, query);
  }

  @Get('follow')
  @RequirePermissions('stats:read')
  @ApiOperation({ summary: '跟进次数统计, data = [rows, page_info] (→ GET /api/v1/stats/follow-ups)' })
  follow(@CurrentActor() actor: Actor, @Query() query: StatsQueryDto) {
    return this.legacy.followCounts(actor, query);
  }
}
