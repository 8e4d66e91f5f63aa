import { Body, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, type Page, PageQueryDto, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ChangeDto, ParseIdPipe } from '../shared/crm-dto';
import {
  CommentDto,
  CreateCustomerDto,
  CustomerDto,
  CustomerListQueryDto,
  UpdateCustomerDto,
  WechatStatusDto,
} from './customer.dto';
import { CustomersService } from './customers.service';

const ERRORS = [ErrorCode.InvalidToken, ErrorCode.NoPermission];
const ONE = [...ERRORS, ErrorCode.NotFound];

@PlatformController('crm/customers', 'crm: customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @RequirePermissions('crm:read')
  @ApiOperation({
    summary:
      '客户: organization (id or fuzzy name), fuzzy name / phone / keyword, status, creator, salesperson, pipeline stage',
  })
  @ApiEnvelope(CustomerDto, { paged: true, errors: ERRORS })
  list(@CurrentActor() actor: Actor, @Query() query: CustomerListQueryDto): Promise<Page<CustomerDto>> {
    return this.customers.cappedList(actor, query);
  }

  @Get(':id')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'One customer (404 outside your data scope)' })
  @ApiEnvelope(CustomerDto, { errors: ONE })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<CustomerDto> {
    return this.customers.get(actor, id);
  }

  @Get(':id/timeline')
  @RequirePermissions('crm:read')
  @ApiOperation({ summary: 'Audit timeline of the customer: who changed what, old and new values' })
  @ApiEnvelope(ChangeDto, { paged: true, errors: ONE })
  timeline(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<ChangeDto>> {
    return this.customers.timeline(actor, id, page);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Create a customer' })
  @ApiEnvelope(CustomerDto, { errors: [...ERRORS, ErrorCode.NotFound, ErrorCode.Conflict] })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateCustomerDto): Promise<CustomerDto> {
    return this.customers.create(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Edit the given fields; organizationIds replaces the organizations' })
  @ApiEnvelope(CustomerDto, { errors: [...ONE, ErrorCode.Conflict] })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateCustomerDto,
  ): Promise<CustomerDto> {
    return this.customers.update(actor, id, dto);
  }

  @Put(':id/comment')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '编辑客户备注 (seed 003): at most 500 characters' })
  @ApiEnvelope(CustomerDto, { errors: [...ONE, ErrorCode.Conflict] })
  comment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: CommentDto,
  ): Promise<CustomerDto> {
    return this.customers.setComment(actor, id, dto.comment);
  }

  @Put(':id/wechat-status')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '微信好友状态 (seed 003): 1 not a friend, 3 request sent, 6 friend' })
  @ApiEnvelope(CustomerDto, { errors: [...ONE, ErrorCode.Conflict] })
  wechatStatus(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: WechatStatusDto,
  ): Promise<CustomerDto> {
    return this.customers.setWechatStatus(actor, id, dto.status);
  }

  @Delete(':id')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Soft delete' })
  @ApiEnvelope(CustomerDto, { errors: ONE })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<CustomerDto> {
    return this.customers.setDeleted(actor, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: 'Restore a deleted customer' })
  @ApiEnvelope(CustomerDto, { errors: ONE })
  restore(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<CustomerDto> {
    return this.customers.setDeleted(actor, id, false);
  }
}
