import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  ErrorCode,
  MonitoredInstanceReply,
  MonitoringListCommand,
  WorkflowPattern,
} from '@app/contracts';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ApiEnvelope, PlatformController } from '@app/common';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { MonitoringQueryDto } from './monitoring.dto';

@PlatformController('monitoring', 'monitoring and reports')
export class MonitoringController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get('instances')
  @RequirePermissions('monitoring:read')
  @ApiOperation({
    summary:
      'Monitoring centre (监控中心): running instances, abnormal (overdue task, failed job, stuck, open incident — which also lists an instance failed by the engine budget) with their reasons, or normal',
    description:
      'Admins and the `all` data scope see every instance; other holders of monitoring:read see those they started or that were started in their departments.',
  })
  @ApiEnvelope(MonitoredInstanceReply, {
    paged: true,
    errors: [ErrorCode.InvalidParameter, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  instances(@CurrentActor() actor: Actor, @Query() query: MonitoringQueryDto) {
    return this.workflow.send(
      WorkflowPattern.MonitoringInstances,
      MonitoringListCommand.create({ ...query, actor }),
    );
  }
}
