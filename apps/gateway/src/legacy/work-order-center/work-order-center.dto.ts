import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ToInt } from '../legacy-query';

/** The list query of `/workflow/process/*` (seed 004; every filter accepted on every list, A-64). */
export class LegacyListQueryDto {
  @ApiProperty({ example: 1 }) @ToInt() @IsInt() @Min(1) pageNum: number = 1;
  @ApiProperty({ example: 10 }) @ToInt() @IsInt() @Min(1) @Max(200) pageSize: number = 10;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) category?: string;
  @ApiPropertyOptional({ example: '2025-01-23 00:00:00' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  proStartBeginTime?: string;
  @ApiPropertyOptional({ example: '2025-01-23 23:59:59' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  proStartEndTime?: string;
}

/** `POST /workflow/process/start/` body (A-13: `processId` or the example's `processDefId`; an id or a key). */
export class LegacyStartDto {
  @ApiPropertyOptional({ description: '流程定义ID (a definition id or a process key)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processId?: string;

  @ApiPropertyOptional({ description: 'Alias of processId used by the seed example' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processDefId?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: '表单信息' })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

/** The TaskBo every `/workflow/task/*` call sends (all fields optional in the seed, A-14). */
export class LegacyTaskBoDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'taskId must be a task id' })
  taskId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) taskName?: string;
  @ApiPropertyOptional({
    description: 'delegate / transfer: the other user; otherwise ignored (the caller is the token)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'procInsId must be an instance id' })
  procInsId?: string;
  @ApiPropertyOptional({ description: 'return: the target node (BPMN element id)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  targetKey?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) assignee?: string;
  @ApiPropertyOptional() @IsOptional() @IsArray() @Type(() => Object) candidateUsers?: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsArray() @Type(() => Object) candidateGroups?: unknown[];
  @ApiPropertyOptional({ description: '抄送: comma-separated user ids' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  copyUserIds?: string;
  @ApiPropertyOptional({ description: 'Next-node approvers (not mapped: the platform names them per node)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  nextUserIds?: string;
}
