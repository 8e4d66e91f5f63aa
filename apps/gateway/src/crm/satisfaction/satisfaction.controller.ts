import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import {
  CreateSatisfactionDto,
  SatisfactionDto,
  SatisfactionListQueryDto,
  UpdateSatisfactionDto,
} from './satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

const ONE = [ErrorCode.NotFound];

@PlatformController('crm/satisfaction', 'crm: satisfaction')
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary: '满意度: organization, customers, record time window (default one week); newest first',
  })
  @ApiGuarded(SatisfactionDto, { paged: true })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: SatisfactionListQueryDto,
  ): Promise<Page<SatisfactionDto>> {
    return this.satisfaction.list(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(SatisfactionDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<SatisfactionDto> {
    return this.satisfaction.get(actor, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create; linked records and staff must be within your data scope' })
  @ApiGuarded(SatisfactionDto, { errors: ONE })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSatisfactionDto): Promise<SatisfactionDto> {
    return this.satisfaction.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the organization timeline' })
  @ApiGuarded(SatisfactionDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateSatisfactionDto,
  ): Promise<SatisfactionDto> {
    return this.satisfaction.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, export and statistics until restored' })
  @ApiGuarded(SatisfactionDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<SatisfactionDto> {
    return this.satisfaction.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(SatisfactionDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<SatisfactionDto> {
    return this.satisfaction.setDeleted(actor, id, false);
  }
}
