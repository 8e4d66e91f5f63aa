import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { CreateDemandDto, DemandDto, DemandListQueryDto, UpdateDemandDto } from './demand.dto';
import { DemandsService } from './demands.service';

const ONE = [ErrorCode.NotFound];

@PlatformController('crm/demands', 'crm: demands')
export class DemandsController {
  constructor(private readonly demands: DemandsService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary: '需求变更记录: organization, record time window (default one week); newest first',
  })
  @ApiGuarded(DemandDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: DemandListQueryDto): Promise<Page<DemandDto>> {
    return this.demands.list(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(DemandDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<DemandDto> {
    return this.demands.get(actor, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create; linked records and staff must be within your data scope' })
  @ApiGuarded(DemandDto, { errors: ONE })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateDemandDto): Promise<DemandDto> {
    return this.demands.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the organization timeline' })
  @ApiGuarded(DemandDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateDemandDto,
  ): Promise<DemandDto> {
    return this.demands.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, export and statistics until restored' })
  @ApiGuarded(DemandDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<DemandDto> {
    return this.demands.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(DemandDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<DemandDto> {
    return this.demands.setDeleted(actor, id, false);
  }
}
