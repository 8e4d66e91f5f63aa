import { Body, Param, Put } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { RecordRoutes, SoftDeleteRoutes, TimelineRoutes } from '../shared/record-routes';
import {
  CommentDto,
  CreateCustomerDto,
  CustomerDto,
  CustomerListQueryDto,
  UpdateCustomerDto,
  WechatStatusDto,
} from './customer.dto';
import { CustomersService } from './customers.service';

/** The seed-003 fields a salesperson sets on their own; listed between the timeline and delete. */
abstract class CustomerNoteRoutes extends SoftDeleteRoutes(CustomersService, CustomerDto, {
  remove: 'Soft delete',
  restore: 'Restore a deleted customer',
}) {
  @Put(':id/comment')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '编辑客户备注 (seed 003): at most 500 characters' })
  @ApiGuarded(CustomerDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  comment(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: CommentDto,
  ): Promise<CustomerDto> {
    return this.service.setComment(actor, id, dto.comment);
  }

  @Put(':id/wechat-status')
  @RequirePermissions('crm:write')
  @ApiOperation({ summary: '微信好友状态 (seed 003): 1 not a friend, 3 request sent, 6 friend' })
  @ApiGuarded(CustomerDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  wechatStatus(
    @CurrentActor() actor: Actor,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: WechatStatusDto,
  ): Promise<CustomerDto> {
    return this.service.setWechatStatus(actor, id, dto.status);
  }
}

@PlatformController('crm/customers', 'crm: customers')
export class CustomersController extends RecordRoutes(
  {
    dto: CustomerDto,
    query: CustomerListQueryDto,
    create: CreateCustomerDto,
    update: UpdateCustomerDto,
    summaries: {
      list: '客户: organization (id or fuzzy name), fuzzy name / phone / keyword, status, creator, salesperson, pipeline stage',
      get: 'One customer (404 outside your data scope)',
      create: 'Create a customer',
      update: 'Edit the given fields; organizationIds replaces the organizations',
    },
    createErrors: [ErrorCode.NotFound, ErrorCode.Conflict],
  },
  TimelineRoutes('Audit timeline of the customer: who changed what, old and new values', CustomerNoteRoutes),
) {}
