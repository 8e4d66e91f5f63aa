import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../../shared/dto-helpers';
import { CreateGroupDto, GroupDto, GroupListQueryDto, UpdateGroupDto } from './group.dto';
import { GroupsService } from './groups.service';

@PlatformController('groups', 'identity: groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @RequirePermissions('group:read')
  @ApiOperation({ summary: 'Staff groups (员工组) by status: enabled (default), deleted, all' })
  @ApiGuarded(GroupDto, { paged: true })
  list(@Query() query: GroupListQueryDto): Promise<Page<GroupDto>> {
    return this.groups.list(query);
  }

  @Get(':id')
  @RequirePermissions('group:read')
  @ApiOperation({ summary: 'One group, with its menus and member count' })
  @ApiGuarded(GroupDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<GroupDto> {
    return this.groups.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('group:write')
  @ApiOperation({ summary: 'Create a group (name, detail, menus granted to its members)' })
  @ApiGuarded(GroupDto)
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
  @ApiGuarded(GroupDto, { errors: [ErrorCode.NotFound] })
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
  @ApiGuarded(GroupDto, { errors: [ErrorCode.NotFound] })
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
  @ApiGuarded(GroupDto, { errors: [ErrorCode.NotFound] })
  restore(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<GroupDto> {
    return this.groups.setStatus(actor, id, 'enabled', client);
  }
}
