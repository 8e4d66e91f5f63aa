import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../shared/dto-helpers';
import { CreateGroupDto, GroupDto, GroupListQueryDto, UpdateGroupDto } from './group.dto';
import { GroupsService } from './groups.service';

const AUTH_ERRORS = [ErrorCode.InvalidToken, ErrorCode.NoPermission];

@PlatformController('groups', 'identity: groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @RequirePermissions('group:read')
  @ApiOperation({ summary: 'Staff groups (员工组) by status: enabled (default), deleted, all' })
  @ApiEnvelope(GroupDto, { paged: true, errors: AUTH_ERRORS })
  list(@Query() query: GroupListQueryDto): Promise<Page<GroupDto>> {
    return this.groups.list(query);
  }

  @Get(':id')
  @RequirePermissions('group:read')
  @ApiOperation({ summary: 'One group, with its menus and member count' })
  @ApiEnvelope(GroupDto, { errors: [...AUTH_ERRORS, ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<GroupDto> {
    return this.groups.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('group:write')
  @ApiOperation({ summary: 'Create a group (name, detail, menus granted to its members)' })
  @ApiEnvelope(GroupDto, { errors: AUTH_ERRORS })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateGroupDto,
    @RequestClient() client: ClientContext,
  ): Promise<GroupDto> {
    return this.groups.create(actor, dto, client);
  }

  @Patch(':id')
  @RequirePermissions('group:write')
  @ApiOperation({ summary: 'Edit a group; menuIds replaces its menus' })
  @ApiEnvelope(GroupDto, { errors: [...AUTH_ERRORS, ErrorCode.NotFound] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateGroupDto,
    @RequestClient() client: ClientContext,
  ): Promise<GroupDto> {
    return this.groups.update(actor, id, dto, client);
  }

  @Delete(':id')
  @RequirePermissions('group:write')
  @ApiOperation({ summary: 'Delete (soft): listed with status=deleted, grants nothing until restored' })
  @ApiEnvelope(GroupDto, { errors: [...AUTH_ERRORS, ErrorCode.NotFound] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<GroupDto> {
    return this.groups.setStatus(actor, id, 'deleted', client);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('group:write')
  @ApiOperation({ summary: 'Restore a deleted group' })
  @ApiEnvelope(GroupDto, { errors: [...AUTH_ERRORS, ErrorCode.NotFound] })
  restore(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<GroupDto> {
    return this.groups.setStatus(actor, id, 'enabled', client);
  }
}
