import { Get, Query, Req } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorCode, PingCommand, WorkflowPattern } from '@app/contracts';
import { ApiEnvelope, PlatformController } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { mapPing, WorkflowPingQueryDto, WorkflowPingResponseDto } from './workflow-system.dto';

@PlatformController('workflow', 'workflow')
export class WorkflowSystemController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get('ping')
  @ApiOperation({ summary: 'Round trip to the workflow app (proves the TCP link); its version' })
  @ApiEnvelope(WorkflowPingResponseDto, { errors: [ErrorCode.WorkflowUnavailable] })
  async ping(
    @Query() query: WorkflowPingQueryDto,
    @Req() request: FastifyRequest,
  ): Promise<WorkflowPingResponseDto> {
    const started = performance.now();
    const reply = await this.workflow.send(WorkflowPattern.Ping, PingCommand.create({ echo: query.echo }), {
      requestId: request.id,
    });
    return mapPing(reply, Math.round((performance.now() - started) * 100) / 100);
  }
}
