import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '../commands/to-int';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ActorCommand, PagedCommand } from '../workflow/common';

const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DAY_OR_TIME_MESSAGE = '$property must be yyyy-MM-dd, yyyy-MM-dd HH:mm:ss or ISO 8601';

export const MONITORING_STATES = ['normal', 'abnormal'] as const;
export type MonitoringState = (typeof MONITORING_STATES)[number];
export const MONITORING_REASONS = ['overdue_task', 'failed_job', 'stuck', 'incident'] as const;
export type MonitoringReason = (typeof MONITORING_REASONS)[number];
export const REPORT_PERIODS = ['month', 'quarter', 'year'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];
export const DURATION_GROUPS = ['process', 'node', 'assignee'] as const;
export type DurationGroup = (typeof DURATION_GROUPS)[number];

/**
 * Monitoring centre (监控中心): running instances, abnormal (an overdue open task, a failed job, or
 * stuck: no progress for `stuckAfterHours` and no timer due later) or normal (every other running one).
 */
export class MonitoringListCommand extends PagedCommand {
  @ApiPropertyOptional({ enum: MONITORING_STATES, default: 'abnormal' })
  @IsOptional()
  @IsIn(MONITORING_STATES)
  state: MonitoringState = 'abnormal';

  @ApiPropertyOptional({ description: 'process definition key', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processKey?: string;

  @ApiPropertyOptional({
    default: 72,
    minimum: 1,
    maximum: 8760,
    description: 'an instance without progress (no state change) for this many hours is stuck',
  })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(8760)
  stuckAfterHours: number = 72;
}

/** A time range and a process filter shared by every report. */
export class ReportRangeCommand extends ActorCommand {
  @ApiPropertyOptional({
    description: 'From (inclusive): yyyy-MM-dd, yyyy-MM-dd HH:mm:ss (TZ_BUSINESS) or ISO 8601 with offset',
    example: '2026-01-01',
  })
  @IsOptional()
  @IsString()
  @Matches(DAY_OR_TIME, { message: DAY_OR_TIME_MESSAGE })
  from?: string;

  @ApiPropertyOptional({
    description: 'To (exclusive); a bare day means up to the end of that day (TZ_BUSINESS)',
    example: '2026-12-31',
  })
  @IsOptional()
  @IsString()
  @Matches(DAY_OR_TIME, { message: DAY_OR_TIME_MESSAGE })
  to?: string;

  @ApiPropertyOptional({ description: 'process definition key', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processKey?: string;
}

/** Instance counts per period (by start time) × process × status. */
export class InstanceReportCommand extends ReportRangeCommand {
  @ApiPropertyOptional({
    enum: REPORT_PERIODS,
    default: 'month',
    description: 'calendar period in TZ_BUSINESS',
  })
  @IsOptional()
  @IsIn(REPORT_PERIODS)
  period: ReportPeriod = 'month';
}

/** Durations of completed tasks (ended within the range) per process, node or assignee. */
export class DurationReportCommand extends ReportRangeCommand {
  @ApiPropertyOptional({ enum: DURATION_GROUPS, default: 'process' })
  @IsOptional()
  @IsIn(DURATION_GROUPS)
  by: DurationGroup = 'process';
}

export class MonitoringReasonReply {
  @ApiProperty({ enum: MONITORING_REASONS }) code!: MonitoringReason;
  @ApiProperty({ description: 'what is wrong, for people' }) detail!: string;
  @ApiProperty({ format: 'date-time', description: 'due time passed, job failure, or last progress' })
  since!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) taskId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) jobId!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'the open incident (code incident), e.g. an engine step stopped past its budget',
  })
  incidentId!: string | null;
}

export class MonitoredInstanceReply {
  @ApiProperty() id!: string;
  @ApiProperty() serialNo!: string;
  @ApiProperty() processKey!: string;
  @ApiProperty() processName!: string;
  @ApiProperty() status!: string;
  @ApiProperty() initiatorId!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'last state change (progress)' }) updatedAt!: string;
  @ApiProperty({ type: [String], description: 'names of the open tasks' }) currentNodes!: string[];
  @ApiProperty({ type: [MonitoringReasonReply], description: 'empty for a normal instance' })
  reasons!: MonitoringReasonReply[];
}

export class InstanceCountRow {
  @ApiProperty({ example: '2026-11', description: 'yyyy-MM, yyyy-Qn or yyyy in TZ_BUSINESS' })
  period!: string;
  @ApiProperty({ format: 'date-time', description: 'first instant of the period' }) periodStart!: string;
  @ApiProperty() processKey!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the newest version’s name' })
  processName!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty() count!: number;
}

/**
 * Durations in ms of completed tasks. Waiting = created → claimed (→ completed when nobody claimed it
 * first); working = claimed → completed (0 when never claimed); total = created → completed.
 */
export class DurationRow {
  @ApiProperty({ description: 'process key, node (processKey:elementId) or assignee id' }) key!: string;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'process or node name; the assignee’s name (by=assignee)',
  })
  name!: string | null;
  @ApiProperty({ description: 'completed tasks' }) count!: number;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null when count is 0' })
  waitingP50!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) waitingP95!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) workingP50!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) workingP95!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) totalP50!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) totalP95!: number | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'by=process: instances that ended in the range',
  })
  instances!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'by=process: start → end p50 (ms)' })
  instanceP50!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'by=process: start → end p95 (ms)' })
  instanceP95!: number | null;
}

export class WorkOrderCountRow {
  @ApiPropertyOptional({ nullable: true, type: String }) categoryId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) categoryName!: string | null;
  @ApiProperty({ description: 'draft, running, rejected, completed, discarded' }) status!: string;
  @ApiProperty() count!: number;
}
