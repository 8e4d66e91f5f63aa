import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ActorCommand } from './common';

export class ListJobsCommand extends ActorCommand {
  @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
  /** Only jobs that failed 5 times (the monitoring centre's "failed jobs"). */
  @IsOptional() @IsString() @Matches(/^(pending|failed|done|cancelled)$/) status?: string;
}

export class ExecuteJobCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
}

export class JobReply {
  @ApiProperty() id!: string;
  @ApiProperty() instanceId!: string;
  @ApiProperty({ example: 'timer' }) kind!: string;
  @ApiProperty({ description: 'BPMN element of the timer event' }) elementId!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ enum: ['pending', 'done', 'cancelled', 'failed'] }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
}
