import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ErpSyncListQueryDto, ErpSyncRunDto, StartErpSyncDto } from './erp.dto';
import { ErpSyncService } from './erp-sync.service';

@PlatformController('integrations/erp/syncs', 'integrations: ERP')
export class ErpController {
  constructor(private readonly syncs: ErpSyncService) {}

  @Post()
  @HttpCode(200)
  @RequirePermissions('erp:sync')
  @ApiOperation({
    summary:
      'Run an ERP sync to its end (S002-10/11): create drops and recreates ERP_{formId}, update upserts',
  })
  @ApiGuarded(ErpSyncRunDto, { errors: [ErrorCode.Conflict, ErrorCode.UpstreamFailure] })
  start(@CurrentActor() actor: Actor, @Body() dto: StartErpSyncDto): Promise<ErpSyncRunDto> {
    return this.syncs.run(actor, dto.formId, dto.mode);
  }

  @Get()
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: 'ERP sync runs, newest first: start, end, rows, errors' })
  @ApiGuarded(ErpSyncRunDto, { paged: true })
  list(@Query() query: ErpSyncListQueryDto): Promise<Page<ErpSyncRunDto>> {
    return this.syncs.listRuns(query.formId, query.pageNum, query.pageSize);
  }

  @Get(':id')
  @RequirePermissions('erp:sync')
  @ApiOperation({ summary: 'One ERP sync run' })
  @ApiGuarded(ErpSyncRunDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id') id: string): Promise<ErpSyncRunDto> {
    return this.syncs.getRun(id);
  }
}
