import { Body, Controller, UseGuards, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '@app/auth';
import { IdempotencyKey, RawResponse } from '@app/common';
import { SeedCallerGuard } from './seed-caller.guard';
import { LegacyListQueryDto, LegacyStartDto, LegacyTaskBoDto } from './work-order-center.dto';
import { LEGACY_004_TAG, SeedHeaders } from './work-order-center.headers';
import { WorkOrderCenterLegacyService } from './work-order-center.service';

@ApiTags(LEGACY_004_TAG)
@RawResponse()
@UseGuards(SeedCallerGuard)
@Controller('workflow/process')
export class LegacyProcessController {
  constructor(private readonly legacy: WorkOrderCenterLegacyService) {}

  @Get('list')
  @SeedHeaders()
  @ApiOperation({ summary: '获取可发起流程列表 (→ GET /api/v1/workflow/definitions?startable=true)' })
  list(@CurrentActor() actor: Actor, @Query() query: LegacyListQueryDto) {
    return this.legacy.definitions(actor, query);
  }

  @Post('start')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '发起流程 (→ POST /api/v1/workflow/instances); also `/workflow/process/start/`' })
  start(
    @CurrentActor() actor: Actor,
    @Body() body: LegacyStartDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.start(actor, body, undefined, idempotencyKey);
  }

  @Post('start/:processId')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '发起流程, id in the path (API概述 table)' })
  @ApiBody({
    description: 'the flat variables map (RuoYi-Flowable-Plus), or `{variables}` as in the body form (A-13)',
    schema: { type: 'object', additionalProperties: true },
  })
  startById(
    @CurrentActor() actor: Actor,
    @Param('processId') processId: string,
    @Body() body: unknown,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.startById(actor, processId, body, idempotencyKey);
  }

  @Get('ownList')
  @SeedHeaders()
  @ApiOperation({ summary: '查看我发起的流程 (→ GET /api/v1/workflow/instances?scope=started)' })
  ownList(@CurrentActor() actor: Actor, @Query() query: LegacyListQueryDto) {
    return this.legacy.ownList(actor, query);
  }

  @Get('todoList')
  @SeedHeaders()
  @ApiOperation({ summary: '查询待办任务 (→ GET /api/v1/workflow/tasks?scope=todo)' })
  todoList(@CurrentActor() actor: Actor, @Query() query: LegacyListQueryDto) {
    return this.legacy.taskList(actor, query, 'todo');
  }

  @Get('finishedList')
  @SeedHeaders()
  @ApiOperation({ summary: '查询已办任务 (→ GET /api/v1/workflow/tasks?scope=done)' })
  finishedList(@CurrentActor() actor: Actor, @Query() query: LegacyListQueryDto) {
    return this.legacy.taskList(actor, query, 'done');
  }
}

@ApiTags(LEGACY_004_TAG)
@RawResponse()
@UseGuards(SeedCallerGuard)
@Controller('workflow/task')
export class LegacyTaskController {
  constructor(private readonly legacy: WorkOrderCenterLegacyService) {}

  @Post('complete')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '审批流程 (→ POST /api/v1/workflow/tasks/{id}/complete; copyUserIds → copy-to)' })
  complete(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.complete(actor, bo, idempotencyKey);
  }

  @Post('reject')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '拒绝任务 = 驳回: ends the instance as rejected (A-67)' })
  reject(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.reject(actor, bo, idempotencyKey);
  }

  @Post('delegate')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '委派任务 (userId = the delegate)' })
  delegate(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.handOver(actor, bo, 'delegate', idempotencyKey);
  }

  // The seed writes `/workflow/task/ transfer` (a space, A-12): both spellings are served.
  @Post(['transfer', '%20transfer', ' transfer'])
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '转办任务 (userId = the new assignee)' })
  transfer(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.handOver(actor, bo, 'transfer', idempotencyKey);
  }

  @Post('stopProcess')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '取消任务 = stop the whole instance (A-66), by procInsId or taskId' })
  stop(@CurrentActor() actor: Actor, @Body() bo: LegacyTaskBoDto, @IdempotencyKey() idempotencyKey?: string) {
    return this.legacy.stop(actor, bo, idempotencyKey);
  }

  @Post('return')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '退回任务 to targetKey (a legal earlier node)' })
  returnTask(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.returnTo(actor, bo, idempotencyKey);
  }

  @Post('delete')
  @HttpCode(200)
  @SeedHeaders({ write: true })
  @ApiOperation({ summary: '删除任务: removes the finished or stopped instance of the task (admin, A-65)' })
  delete(
    @CurrentActor() actor: Actor,
    @Body() bo: LegacyTaskBoDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.delete(actor, bo, idempotencyKey);
  }
}
