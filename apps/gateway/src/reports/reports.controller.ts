import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  Actor,
  DurationReportCommand,
  DurationRow,
  ErrorCode,
  InstanceCountRow,
  InstanceReportCommand,
  ReportRangeCommand,
  WorkflowPattern,
  WorkOrderCountRow,
} from '@app/contracts';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ApiEnvelope, PlatformController } from '@app/common';
import { DirectoryRepository } from '../identity/directory/directory.repository';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { DurationReportQueryDto, InstanceReportQueryDto, WorkOrderReportQueryDto } from './reports.dto';

const ERRORS = [ErrorCode.InvalidParameter, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable];
const SCOPE =
  'Admins and the `all` data scope count every instance; other holders of monitoring:read count those they started or that were started in their departments.';

@PlatformController('reports', 'monitoring and reports')
export class ReportsController {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly directory: DirectoryRepository,
  ) {}

  @Get('instances')
  @RequirePermissions('monitoring:read')
  @ApiOperation({
    summary: 'Instance counts per period of the start time (TZ_BUSINESS), process and status',
    description: SCOPE,
  })
  @ApiEnvelope(InstanceCountRow, { isArray: true, errors: ERRORS })
  instances(@CurrentActor() actor: Actor, @Query() query: InstanceReportQueryDto) {
    return this.workflow.send(
      WorkflowPattern.ReportInstances,
      InstanceReportCommand.create({ ...query, actor }),
    );
  }

  @Get('durations')
  @RequirePermissions('monitoring:read')
  @ApiOperation({
    summary:
      'Durations of completed tasks (ended in the range) per process, node or assignee: p50/p95 of waiting, working and total time (ms)',
    description: `Waiting = created → claimed (→ completed if never claimed); working = claimed → completed. by=process adds instances that ended in the range and their start → end p50/p95. Counts are exact. Percentiles are exact (percentile_cont over the records) when the report measures at most REPORT_EXACT_MAX_ROWS (default 10,000) tasks and instances; above that they come from histograms with logarithmic buckets pre-aggregated per day, month and year, and are within 1 % of the exact value (or 1 ms, whichever is larger). ${SCOPE}`,
  })
  @ApiEnvelope(DurationRow, { isArray: true, errors: ERRORS })
  async durations(@CurrentActor() actor: Actor, @Query() query: DurationReportQueryDto) {
    const rows = await this.workflow.send(
      WorkflowPattern.ReportDurations,
      DurationReportCommand.create({ ...query, actor }),
    );
    if (query.by !== 'assignee') return rows;
    // the workflow app knows people by id only; the directory is here
    const people = await this.directory.names(rows.map((r) => r.key));
    return rows.map((r) => ({ ...r, name: people.get(r.key)?.name ?? r.name }));
  }

  @Get('work-orders')
  @RequirePermissions('monitoring:read')
  @ApiOperation({
    summary: 'Work orders created in the range per category and status',
    description: SCOPE.replace('instance', 'work order').replace('started', 'created'),
  })
  @ApiEnvelope(WorkOrderCountRow, { isArray: true, errors: ERRORS })
  workOrders(@CurrentActor() actor: Actor, @Query() query: WorkOrderReportQueryDto) {
    return this.workflow.send(
      WorkflowPattern.ReportWorkOrders,
      ReportRangeCommand.create({ ...query, actor }),
    );
  }
}
