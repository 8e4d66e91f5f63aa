import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, type Page, PageQueryDto, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ChangeDto, ParseIdPipe } from '../shared/crm-dto';
import {
  CreateOrganizationDto,
  OrganizationDto,
  OrganizationListQueryDto,
  UpdateOrganizationDto,
} from './organization.dto';
import { OrganizationsService } from './organizations.service';

const ERRORS = [ErrorCode.InvalidToken, ErrorCode.NoPermission];
const ONE = [...ERRORS, ErrorCode.NotFound];

@PlatformController('crm/organizations', 'crm: organizations')
export class OrganizationsController {
  constructor(private readonly organizations: OrganizationsService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary:
      '客户单位: fuzzy name, status (1 default, -1, all, 0/2/3 by latest visit), creator; newest first',
  })
  @ApiEnvelope(OrganizationDto, { paged: true, errors: ERRORS })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: OrganizationListQueryDto,
  ): Promise<Page<OrganizationDto>> {
    return this.organizations.cappedList(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One organization (404 outside your data scope)' })
  @ApiEnvelope(OrganizationDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<OrganizationDto> {
    return this.organizations.get(actor, id);
  }

  @Get(':id/timeline')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'Audit timeline: changes of the organization and of records filed under it' })
  @ApiEnvelope(ChangeDto, { paged: true, errors: ONE })
  timeline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<ChangeDto>> {
    return this.organizations.timeline(actor, id, page);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create an organization (creator defaults to you)' })
  @ApiEnvelope(OrganizationDto, { errors: ERRORS })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.organizations.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; audited into the timeline' })
  @ApiEnvelope(OrganizationDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateOrganizationDto,
  ): Promise<OrganizationDto> {
    return this.organizations.update(actor, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete: gone from lists, search, export and statistics until restored' })
  @ApiEnvelope(OrganizationDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<OrganizationDto> {
    return this.organizations.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted organization' })
  @ApiEnvelope(OrganizationDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<OrganizationDto> {
    return this.organizations.setDeleted(actor, id, false);
  }
}
