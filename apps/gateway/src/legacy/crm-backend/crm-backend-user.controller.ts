import { Body, Controller, Get, HttpCode, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  AllowPendingPasswordChange,
  CurrentPrincipal,
  type Principal,
  Public,
  RequirePermissions,
  StaffOnly,
} from '@app/auth';
import { RawResponse } from '@app/common';
import { type ClientContext, RequestClient } from '../../identity/shared/client-context';
import { CrmBackendStatusFilter } from './crm-backend-status.filter';
import { CrmBackendUserService } from './crm-backend-user.service';
import {
  DelGroupDto,
  DelUserDto,
  GroupBodyDto,
  GroupQueryDto,
  LoginBodyDto,
  LogoutBodyDto,
  MenuBodyDto,
  MenuQueryDto,
  PasswordBodyDto,
  StaffBodyDto,
  StaffQueryDto,
  UserMenuBodyDto,
  UserMenuQueryDto,
} from './crm-backend.dto';

export const CRM_BACKEND_TAG = 'legacy 001: CRM 后台';

/** Seed 001 `/api/user/*`: groups, staff, sign-in, menus, at their original paths and envelope. */
@ApiTags(CRM_BACKEND_TAG)
@RawResponse()
@UseFilters(CrmBackendStatusFilter)
@Controller('api/user')
export class CrmBackendUserController {
  constructor(private readonly legacy: CrmBackendUserService) {}

  @Get('group')
  @RequirePermissions('group:read')
  @ApiOperation({ summary: '员工组 list (→ GET /api/v1/groups?status=)' })
  groups(@Query() query: GroupQueryDto) {
    return this.legacy.listGroups(query);
  }

  @Post('group')
  @HttpCode(200)
  @RequirePermissions('group:write')
  @ApiOperation({ summary: '员工组 create (no group_id) or update (→ POST / PATCH /api/v1/groups)' })
  saveGroup(
    @CurrentPrincipal() principal: Principal,
    @Body() body: GroupBodyDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.saveGroup(principal, body, client);
  }

  @Get('delgroup')
  @RequirePermissions('group:write')
  @ApiOperation({ summary: '员工组删除 (→ DELETE /api/v1/groups/{id})' })
  delGroupGet(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DelGroupDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.deleteGroup(principal, query, client);
  }

  @Post('delgroup')
  @HttpCode(200)
  @RequirePermissions('group:write')
  @ApiOperation({ summary: '员工组删除 (query string, form or JSON body)' })
  delGroupPost(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DelGroupDto,
    @Body() body: DelGroupDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.deleteGroup(principal, { ...query, ...body }, client);
  }

  @Get('user')
  @RequirePermissions('staff:read')
  @ApiOperation({ summary: '员工 list (→ GET /api/v1/staff?status=&type=&groupIds=)' })
  staff(@CurrentPrincipal() principal: Principal, @Query() query: StaffQueryDto) {
    return this.legacy.listStaff(principal, query);
  }

  @Post('user')
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: '员工 create (no user_id) or update (→ POST / PATCH /api/v1/staff)' })
  saveStaff(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StaffBodyDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.saveStaff(principal, body, client);
  }

  @Get('deluser')
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: '员工删除 (status -1, default) or 停用 (status 0)' })
  delUserGet(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DelUserDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.deleteStaff(principal, query, client);
  }

  @Post('deluser')
  @HttpCode(200)
  @RequirePermissions('staff:write')
  @ApiOperation({ summary: '员工删除 / 停用 (query string, form or JSON body)' })
  delUserPost(
    @CurrentPrincipal() principal: Principal,
    @Query() query: DelUserDto,
    @Body() body: DelUserDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.deleteStaff(principal, { ...query, ...body }, client);
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '员工登入 → `{msg:"登陆成功",status:0}`, the session cookie and data.token' })
  login(
    @Body() body: LoginBodyDto,
    @RequestClient() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.legacy.login(body, client, reply);
  }

  @Post('logout')
  @HttpCode(200)
  @StaffOnly()
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: '员工登出 (the password fields are ignored, A-28)' })
  logout(
    @CurrentPrincipal() principal: Principal,
    @Body() _body: LogoutBodyDto,
    @RequestClient() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.legacy.logout(principal, client, reply);
  }

  @Post('password')
  @HttpCode(200)
  @StaffOnly()
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: '员工修改密码 (→ POST /api/v1/auth/password)' })
  password(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PasswordBodyDto,
    @RequestClient() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.legacy.changePassword(principal, body, client, reply);
  }

  @Get('menu')
  @RequirePermissions('menu:read')
  @ApiOperation({ summary: '菜单配置项 list (→ GET /api/v1/menus)' })
  menus(@Query() query: MenuQueryDto) {
    return this.legacy.listMenus(query);
  }

  @Post('menu')
  @HttpCode(200)
  @RequirePermissions('menu:write')
  @ApiOperation({ summary: '菜单配置项 create / update / delete (menu_id without name)' })
  saveMenu(
    @CurrentPrincipal() principal: Principal,
    @Body() body: MenuBodyDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.saveMenu(principal, body, client);
  }

  @Get('usermenu')
  @RequirePermissions('staff:read')
  @ApiOperation({ summary: '员工菜单 (→ GET /api/v1/staff/{id}/menus, GET /api/v1/staff?include=menus)' })
  userMenus(@CurrentPrincipal() principal: Principal, @Query() query: UserMenuQueryDto) {
    return this.legacy.listUserMenus(principal, query);
  }

  @Post('usermenu')
  @HttpCode(200)
  @RequirePermissions('staff:grant')
  @ApiOperation({ summary: '员工菜单配置 (→ PUT /api/v1/staff/{id}/menus)' })
  setUserMenus(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UserMenuBodyDto,
    @RequestClient() client: ClientContext,
  ) {
    return this.legacy.setUserMenus(principal, body, client);
  }
}
