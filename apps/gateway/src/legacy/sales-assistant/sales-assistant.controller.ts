import { Body, Controller, Get, HttpCode, Post, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, RequirePermissions } from '@app/auth';
import { RawResponse } from '@app/common';
import { type ClientContext, RequestClient } from '../../identity/shared/client-context';
import { SmsUploadItemDto } from '../../crm/sms/sms.dto';
import { CallUploadItemDto } from '../../crm/calls/calls.dto';
import { SalesAssistantExceptionFilter } from './sales-assistant-exception.filter';
import { SalesAssistantEnvelopeInterceptor, SuccessMessage } from './sales-assistant-envelope.interceptor';
import {
  AddFriendDto,
  CustomerListDto,
  EditCommentDto,
  SalesLoginDto,
  SmsListDto,
  UpdateFriendStatusDto,
} from './sales-assistant.dto';
import { SalesAssistantService } from './sales-assistant.service';

/**
 * Seed 003 (融助手) at its original paths: `{code:0,msg,data}`, failures `{code:1,msg}`, a missing or
 * bad token `{code:500,msg:"不合法的token"}`, all HTTP 200.
 */
@ApiTags('legacy 003: 融助手')
@ApiBearerAuth()
@RawResponse()
@UseFilters(SalesAssistantExceptionFilter)
@UseInterceptors(SalesAssistantEnvelopeInterceptor)
@Controller('api')
export class SalesAssistantController {
  constructor(private readonly legacy: SalesAssistantService) {}

  @Post('account/login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: '用户登录: md5 password → `{userInfo, token}` (→ POST /api/v1/auth/login, A-03)' })
  login(@Body() dto: SalesLoginDto, @RequestClient() client: ClientContext) {
    return this.legacy.login(dto, client);
  }

  @Post('customer/list')
  @HttpCode(200)
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: '查询客户列表 (→ GET /api/v1/crm/customers?stage=&ownerId=)' })
  customerList(@CurrentActor() actor: Actor, @Body() dto: CustomerListDto) {
    return this.legacy.customerList(actor, dto);
  }

  @Post('customer/editComment')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @SuccessMessage('编辑备注成功')
  @ApiOperation({ summary: '编辑客户备注, ≤500 characters (→ PUT /api/v1/crm/customers/{id}/comment)' })
  editComment(@CurrentActor() actor: Actor, @Body() dto: EditCommentDto) {
    return this.legacy.editComment(actor, dto);
  }

  @Get('sms/templates')
  @RequirePermissions('crm:phone')
  @ApiOperation({ summary: '获取短信模板 (→ GET /api/v1/crm/sms-templates)' })
  templates() {
    return this.legacy.templates();
  }

  @Post('sms/addMessages')
  @HttpCode(200)
  @RequirePermissions('crm:phone')
  @ApiBody({ type: [SmsUploadItemDto] })
  @ApiOperation({ summary: '同步手机短信: data = last sync time (ms, string) (→ POST /api/v1/crm/sms)' })
  addMessages(@CurrentActor() actor: Actor, @Body() body: unknown[]) {
    return this.legacy.addMessages(actor, body);
  }

  @Post('sms/getMessages')
  @HttpCode(200)
  @RequirePermissions('crm:phone')
  @ApiOperation({ summary: '获取短信列表 (→ GET /api/v1/crm/sms)' })
  getMessages(@CurrentActor() actor: Actor, @Body() dto: SmsListDto) {
    return this.legacy.getMessages(actor, dto);
  }

  @Post('call/syncRecords')
  @HttpCode(200)
  @RequirePermissions('crm:phone')
  @ApiBody({ type: [CallUploadItemDto] })
  @ApiOperation({
    summary: '同步手机通话记录: data = last sync time (ms, number) (→ POST /api/v1/crm/calls)',
  })
  syncRecords(@CurrentActor() actor: Actor, @Body() body: unknown[]) {
    return this.legacy.syncRecords(actor, body);
  }

  @Post('wechat/addFriend')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '发送添加微信好友请求（已弃用）: records 申请中 (3), data = 3 (A-61)' })
  addFriend(@CurrentActor() actor: Actor, @Body() dto: AddFriendDto) {
    return this.legacy.addFriend(actor, dto);
  }

  @Post('wechat/updateFriendStatus')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '更新微信好友状态 1 or 6 (→ PUT /api/v1/crm/customers/{id}/wechat-status)' })
  updateFriendStatus(@CurrentActor() actor: Actor, @Body() dto: UpdateFriendStatusDto) {
    return this.legacy.updateFriendStatus(actor, dto);
  }
}
