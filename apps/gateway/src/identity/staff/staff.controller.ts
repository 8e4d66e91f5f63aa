import { Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, CurrentPrincipal, type Principal, RequirePermissions } from '@app/auth';
import { type ClientContext, RequestClient } from '../shared/client-context';
import { ParseIdPipe } from '../../shared/dto-helpers';
import {
  CreateStaffDto,
  PasswordResetDto,
  PasswordResetResultDto,
  SetMenusDto,
  StaffDto,
  StaffListQueryDto,
  StaffMenusDto,
  UpdateStaffDto,
} from './staff.dto';
import { StaffService } from './staff.service';

const MEMBER_ERRORS = [ErrorCode.NotFound];

/** Staff members (seed 001 员工). A member outside the caller's data scope is 404 and never listed. */
@PlatformController('staff', 'identity: staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @RequirePermissions('staff:read')
  @ApiOperation({
    summary:
      'Staff in my data scope: status (all / normal / enabled / disabled / deleted), type, groups, search (S001-05)',
  })
  @ApiGuarded(StaffDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: StaffListQueryDto): Promise<Page<StaffDto>> {
    return this.staff.list(actor, query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({
    summary: 'Create a member (S001-06), without a password: set one with password-reset',
    description: 'Without roleIds the member gets the system role of their type (staff / courier).',
  })
  @ApiGuarded(StaffDto, { errors: [ErrorCode.Conflict] })
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateStaffDto,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.create(principal, dto, client);
  }

  @Get(':id')
  @RequirePermissions('staff:read')
  @ApiOperation({ summary: 'One member (any status)' })
  @ApiGuarded(StaffDto, { errors: MEMBER_ERRORS })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<StaffDto> {
    return this.staff.get(actor, id);
  }

  @Patch(':id')
  @RequirePermissions('staff:write')
  @ApiOperation({
    summary: 'Edit a member (S001-07); groupIds / roleIds replace; status and password have their own routes',
  })
  @ApiGuarded(StaffDto, { errors: [...MEMBER_ERRORS, ErrorCode.Conflict] })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateStaffDto,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.update(principal, id, dto, client);
  }

  @Delete(':id')
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: 'Delete (soft, S001-08): listed with status=deleted; sessions end' })
  @ApiGuarded(StaffDto, { errors: MEMBER_ERRORS })
  remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.changeStatus(principal, id, 'delete', client);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: 'Restore a deleted member (enabled again)' })
  @ApiGuarded(StaffDto, { errors: [...MEMBER_ERRORS, ErrorCode.Conflict] })
  restore(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.changeStatus(principal, id, 'restore', client);
  }

  @Post(':id/disable')
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: 'Disable (S001-09): sign-in answers 4002, open sessions end' })
  @ApiGuarded(StaffDto, { errors: [...MEMBER_ERRORS, ErrorCode.Conflict] })
  disable(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.changeStatus(principal, id, 'disable', client);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: 'Enable a disabled member' })
  @ApiGuarded(StaffDto, { errors: [...MEMBER_ERRORS, ErrorCode.Conflict] })
  enable(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @RequestClient() client: ClientContext,
  ): Promise<StaffDto> {
    return this.staff.changeStatus(principal, id, 'enable', client);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @RequirePermissions('staff:password-reset')
  @ApiOperation({
    summary: 'Set or generate a member’s password (shown once); their sessions end',
    description:
      'By default the member must change it at next sign-in. Not for yourself: use POST /auth/password.',
  })
  @ApiGuarded(PasswordResetResultDto, { errors: [...MEMBER_ERRORS, ErrorCode.Conflict] })
  resetPassword(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: PasswordResetDto,
    @RequestClient() client: ClientContext,
  ): Promise<PasswordResetResultDto> {
    return this.staff.resetPassword(principal, id, dto, client);
  }

  @Get(':id/menus')
  @RequirePermissions('staff:read')
  @ApiOperation({ summary: 'A member’s menus: direct grants and those of their groups (S001-17)' })
  @ApiGuarded(StaffMenusDto, { errors: MEMBER_ERRORS })
  menus(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<StaffMenusDto> {
    return this.staff.menus(actor, id);
  }

  @Put(':id/menus')
  @RequirePermissions('staff:grant')
  @ApiOperation({ summary: 'Replace a member’s direct menu grants (S001-19); never more than you hold' })
  @ApiGuarded(StaffMenusDto, { errors: MEMBER_ERRORS })
  setMenus(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: SetMenusDto,
    @RequestClient() client: ClientContext,
  ): Promise<StaffMenusDto> {
    return this.staff.setMenus(principal, id, dto.menuIds, client);
  }
}
