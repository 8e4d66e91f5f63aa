import { Body, Controller, UseGuards, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@app/auth';
import { IdempotencyKey, RawResponse } from '@app/common';
import { SeedCallerGuard } from './seed-caller.guard';
import {
  LegacyCreateWorkOrderDto,
  LegacyProcessFormQueryDto,
  LegacyTypePageQueryDto,
} from './work-order-center.dto';
import { LEGACY_004_TAG, SeedHeaders } from './work-order-center.headers';
import { WorkOrderCenterOrdersService } from './work-order-center-orders.service';

/** Seed 004's form, type-list and 创建工单 calls, at the paths the document writes (A-12). */
@ApiTags(LEGACY_004_TAG)
@RawResponse()
@UseGuards(SeedCallerGuard)
@Controller()
export class LegacyWorkOrderController {
  constructor(private readonly legacy: WorkOrderCenterOrdersService) {}

  @Get('workflow/process/getProcessForm')
  @SeedHeaders()
  @ApiOperation({
    summary: '获取流程表单信息 (→ GET /api/v1/forms/process); with procInsId the saved values (A-69)',
  })
  processForm(@CurrentActor() actor: Actor, @Query() query: LegacyProcessFormQueryDto) {
    return this.legacy.processForm(actor, query);
  }

  @Get('WorkOrder/app/list')
  @SeedHeaders()
  @ApiOperation({ summary: '查询应用工单类型 (→ GET /api/v1/work-order-types); secrets never listed (A-17)' })
  appTypes(@CurrentActor() actor: Actor, @Query() query: LegacyTypePageQueryDto) {
    return this.legacy.appTypes(actor, query);
  }

  @Get('synthesis/list')
  @SeedHeaders()
  @ApiOperation({ summary: '查询综合工单类型 (→ GET /api/v1/work-order-categories, flattened)' })
  synthesisTypes(@CurrentActor() actor: Actor, @Query() query: LegacyTypePageQueryDto) {
    return this.legacy.synthesisTypes(actor, query);
  }

  // The seed writes `-userdefine/workorder/workorder`: both spellings are served.
  @Post(['userdefine/workorder/workorder', '-userdefine/workorder/workorder'])
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({
    summary: '创建工单 (→ POST /api/v1/work-orders); procInstId binds a started instance (A-16)',
  })
  create(
    @CurrentActor() actor: Actor,
    @Body() body: LegacyCreateWorkOrderDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.create(actor, body, idempotencyKey);
  }
}
