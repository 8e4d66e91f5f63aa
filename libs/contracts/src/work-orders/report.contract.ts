import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ActorCommand, PagedCommand } from '../workflow/common';

const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+([+-]\d{2}:?\d{2}|Z)?)?$/;

/** Monitoring centre (监控中心): running instances, normal or abnormal (overdue, stuck, failed jobs) with reasons. */
export class MonitoringListCommand extends PagedCommand {
  @ApiPropertyOptional({ enum: ['normal', 'abnormal'], default: 'abnormal' })
  @IsOptional()
  @IsIn(['normal', 'abnormal'])
  state: 'normal' | 'abnormal' = 'abnormal';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
}

export class ReportRangeCommand extends ActorCommand {
  @ApiPropertyOptional({ description: 'From (inclusive), a day or a time; read in TZ_BUSINESS' })
  @IsOptional()
  @IsString()
  @Matches(DAY_OR_TIME)
  from?: string;
  @ApiPropertyOptional({ description: 'To (exclusive; a day means up to the end of that day)' })
  @IsOptional()
  @IsString()
  @Matches(DAY_OR_TIME)
  to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
}

export class InstanceReportCommand extends ReportRangeCommand {
  @ApiPropertyOptional({ enum: ['month', 'quarter', 'year'], default: 'month' })
  @IsOptional()
  @IsIn(['month', 'quarter', 'year'])
  bucket: 'month' | 'quarter' | 'year' = 'month';
}

export class DurationReportCommand extends ReportRangeCommand {
  @ApiPropertyOptional({ enum: ['process', 'node', 'assignee'], default: 'process' })
  @IsOptional()
  @IsIn(['process', 'node', 'assignee'])
  by: 'process' | 'node' | 'assignee' = 'process';
}

export class MonitoredInstanceReply {
  @ApiProperty() id!: string;
  @ApiProperty() serialNo!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty() processName!: string;
  @ApiProperty() status!: string;
  @ApiProperty() initiatorId!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ type: [String], description: 'overdue_task, stuck, failed_job' }) reasons!: string[];
  @ApiProperty({ type: [String] }) details!: string[];
}

export class InstanceCountRow {
  @ApiProperty({ example: '2026-11', description: 'yyyy-MM, yyyy-Qn or yyyy in TZ_BUSINESS' })
  period!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty() status!: string;
  @ApiProperty() count!: number;
}

export class DurationRow {
  @ApiProperty({ description: 'definition key, node (key:elementId) or assignee id' }) key!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() count!: number;
  @ApiProperty({ description: 'ms' }) p50!: number;
  @ApiProperty({ description: 'ms' }) p95!: number;
  @ApiProperty({ description: 'ms' }) avg!: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'ms from creation to claim (tasks only)',
  })
  waitingAvg!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'ms from claim to end (tasks only)' })
  workingAvg!: number | null;
}

export class WorkOrderCountRow {
  @ApiPropertyOptional({ nullable: true, type: String }) categoryId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) categoryName!: string | null;
  @ApiProperty() status!: string;
  @ApiProperty() count!: number;
}
