import { Body, Controller, Get, HttpCode, Param, Post, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, CurrentActor, CurrentPrincipal, type Principal, Public, StaffOnly } from '@app/auth';
import { IdempotencyKey, RawResponse } from '@app/common';
import { type ClientContext, RequestClient } from '../../identity/shared/client-context';
import { LegacyBodyStatusFilter } from '../legacy-body-status.filter';
import { DoLoginExceptionFilter } from './do-login-exception.filter';
import {
  DoLoginDto,
  InstancePathDto,
  LegacyPasswordDto,
  OpportunityProcessDto,
  PathPageDto,
  TaskPathDto,
} from './opportunity.dto';
import { OpportunityLegacyService } from './opportunity.service';

/**
 * Seed 000 at its original paths. Only `/doLogin` documents a response; the others answer the
 * platform envelope. Clients may keep the session cookie set by `/doLogin` or send a Bearer token.
 */
@ApiTags('legacy 000: 云改商机上报支撑系统')
@UseFilters(LegacyBodyStatusFilter)
@Controller()
export class OpportunityLegacyController {
  constructor(private readonly legacy: OpportunityLegacyService) {}

  @Post('doLogin')
  @Public()
  @UseFilters(DoLoginExceptionFilter)
  @RawResponse()
  @HttpCode(200)
  @ApiOperation({
    summary: '登录 (form or JSON `accountId`, `pass`) → `{msg, status:"ok"}` and a session cookie',
  })
  doLogin(
    @Body() dto: DoLoginDto,
    @RequestClient() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.legacy.doLogin(dto, client, reply);
  }

  @Post('staff/password')
  @StaffOnly()
  @HttpCode(200)
  @ApiOperation({ summary: '用户修改密码 (→ POST /api/v1/auth/password)' })
  password(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: LegacyPasswordDto,
    @RequestClient() client: ClientContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.legacy.changePassword(principal, dto, client, reply);
  }

  @Post('process')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '新建流程: an opportunity-report work order with the 15 fields (→ POST /api/v1/work-orders, template opportunityReport)',
  })
  process(
    @CurrentActor() actor: Actor,
    @Body() dto: OpportunityProcessDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.startProcess(actor, dto, idempotencyKey);
  }

  @Get('currentProcessInstances/:pageSize/:pageNum')
  @ApiOperation({
    summary: '我发起的流程（未完成）(→ GET /api/v1/workflow/instances?scope=started&finished=false)',
  })
  current(@CurrentActor() actor: Actor, @Param() page: PathPageDto) {
    return this.legacy.instances(actor, page, false);
  }

  @Get('histProcessInstances/:pageSize/:pageNum')
  @ApiOperation({ summary: '我发起的流程（已完成）: every ended instance with its status (A-23)' })
  history(@CurrentActor() actor: Actor, @Param() page: PathPageDto) {
    return this.legacy.instances(actor, page, true);
  }

  @Get('needAcceptTasks/:pageSize/:pageNum')
  @ApiOperation({ summary: '待领取任务 (→ GET /api/v1/workflow/tasks?scope=claimable)' })
  claimable(@CurrentActor() actor: Actor, @Param() page: PathPageDto) {
    return this.legacy.tasks(actor, page, 'claimable');
  }

  @Get('acceptedTasks/:pageSize/:pageNum')
  @ApiOperation({ summary: '待处理任务: tasks I hold (A-22)' })
  held(@CurrentActor() actor: Actor, @Param() page: PathPageDto) {
    return this.legacy.tasks(actor, page, 'held');
  }

  @Get('processDiagram/:processInstanceId')
  @ApiOperation({ summary: '流程图以及当前环节: BPMN XML + active/completed ids + taken flows (A-27)' })
  diagram(@CurrentActor() actor: Actor, @Param() { processInstanceId }: InstancePathDto) {
    return this.legacy.diagram(actor, processInstanceId);
  }

  @Post('task/:taskId/complete')
  @HttpCode(200)
  @ApiOperation({
    summary:
      '办理任务 (implied by the document): the stage fields + `comment` (→ POST /api/v1/work-orders/{id}/handle)',
  })
  @ApiBody({
    schema: { type: 'object', additionalProperties: true, example: { isSubstLeaderApprove: '是' } },
  })
  completeTask(
    @CurrentActor() actor: Actor,
    @Param() { taskId }: TaskPathDto,
    @Body() body: Record<string, unknown>,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.completeTask(actor, taskId, body, idempotencyKey);
  }

  @Post('task/:taskId/receive')
  @HttpCode(200)
  @ApiOperation({ summary: '领取任务 (→ POST /api/v1/workflow/tasks/{id}/claim)' })
  receive(@CurrentActor() actor: Actor, @Param() { taskId }: TaskPathDto) {
    return this.legacy.claim(actor, taskId);
  }
}
