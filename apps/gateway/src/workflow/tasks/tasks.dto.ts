import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { TASK_SCOPES, type TaskScope } from '@app/contracts';
import { PageQueryDto } from '@app/common';

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: TASK_SCOPES,
    default: 'todo',
    description: 'todo = mine + claimable; claimable; done = completed by me',
  })
  @IsOptional()
  @IsIn(TASK_SCOPES)
  scope: TaskScope = 'todo';

  @ApiPropertyOptional({ description: 'Substring of the process name' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processName?: string;
  @ApiPropertyOptional({ description: 'Process key' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) category?: string;
  @ApiPropertyOptional({ description: 'Instance started at or after (seed 004 beginTime)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  startedFrom?: string;
  @ApiPropertyOptional({ description: 'Instance started at or before (seed 004 endTime)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  startedTo?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
}

export class CompleteTaskBodyDto {
  @ApiPropertyOptional({ maxLength: 2000, example: '同意' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { approved: true } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}
