import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PageQueryDto, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../../shared/dto-helpers';
import { CreateRoleDto, RoleDto, UpdateRoleDto } from './role.dto';
import { RolesService } from './roles.service';

@PlatformController('roles', 'identity: roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @RequirePermissions('role:read')
  @ApiOperation({ summary: 'Roles with their permissions, data scope and number of holders' })
  @ApiGuarded(RoleDto, { paged: true })
  list(@Query() query: PageQueryDto): Promise<Page<RoleDto>> {
    return this.roles.list(query);
  }

  @Get(':id')
  @RequirePermissions('role:read')
  @ApiOperation({ summary: 'One role' })
  @ApiGuarded(RoleDto, { errors: [ErrorCode.NotFound] })
  get(@Param('id', ParseIdPipe) id: string): Promise<RoleDto> {
    return this.roles.get(id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('role:write')
  @ApiOperation({ summary: 'Create a role (permissions and scope within your own)' })
  @ApiGuarded(RoleDto, { errors: [ErrorCode.Conflict] })
  create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateRoleDto,
    @RequestClient() client: ClientContext,
  ): Promise<RoleDto> {
    return this.roles.create(actor, dto, client);
  }

  @Patch(':id')
  @RequirePermissions('role:write')
  @ApiOperation({ summary: 'Edit a role; holders are affected at once' })
  @ApiGuarded(RoleDto, { errors: [ErrorCode.NotFound] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateRoleDto,
    @RequestClient() client: ClientContext,
  ): Promise<RoleDto> {
    return this.roles.update(actor, id, dto, client);
  }

  @Delete(':id')
  @RequirePermissions('role:write')
  @ApiOperation({ summary: 'Delete a role nobody holds (system roles stay)' })
  @ApiGuarded(null, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<void> {
    return this.roles.remove(actor, id, client);
  }
}
