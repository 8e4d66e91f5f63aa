import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { CreateFollowUpDto, FollowUpDto, FollowUpListQueryDto, UpdateFollowUpDto } from './follow-up.dto';
import { FollowUpsService } from './follow-ups.service';

const ONE = [ErrorCode.NotFound];

@PlatformController('crm/follow-ups', 'crm: follow-ups')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary: '拜访记录: potential record, organization, record time window (default one week); newest first',
  })
  @ApiGuarded(FollowUpDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: FollowUpListQueryDto): Promise<Page<FollowUpDto>> {
    return this.followUps.list(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(FollowUpDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<FollowUpDto> {
    return this.followUps.get(actor, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create; linked records and staff must be within your data scope' })
  @ApiGuarded(FollowUpDto, { errors: ONE })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateFollowUpDto): Promise<FollowUpDto> {
    return this.followUps.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the organization timeline' })
  @ApiGuarded(FollowUpDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateFollowUpDto,
  ): Promise<FollowUpDto> {
    return this.followUps.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, export and statistics until restored' })
  @ApiGuarded(FollowUpDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<FollowUpDto> {
    return this.followUps.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(FollowUpDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<FollowUpDto> {
    return this.followUps.setDeleted(actor, id, false);
  }
}
