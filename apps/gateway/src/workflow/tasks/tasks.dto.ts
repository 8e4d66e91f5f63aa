import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ELEMENT_ID_PATTERN, TASK_SCOPES, type TaskScope, USER_REF_PATTERN } from '@app/contracts';
import { PageQueryDto } from '@app/common';

export class ListTasksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: TASK_SCOPES,
    default: 'todo',
    description: 'todo = mine + claimable; claimable; done = completed by me; copied = copied to me',
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

  @ApiPropertyOptional({ type: [String], description: 'Copy-to (抄送) user ids', example: ['12'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(USER_REF_PATTERN, { each: true })
  copyTo?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description:
      'Element id (or `*`: any user task this completion opens) → user ids: assignees of those nodes',
    example: { deptLeader: ['7'] },
  })
  @IsOptional()
  @IsObject()
  nextAssignees?: Record<string, string[]>;

  @ApiPropertyOptional({
    description:
      'Admins: complete and go on at this node instead of the model’s next one (one step, A-47; the seed-004 `targetKey`)',
    example: 'deptLeader',
  })
  @IsOptional()
  @IsString()
  @Matches(ELEMENT_ID_PATTERN)
  targetElementId?: string;
}

export class CommentBodyDto {
  @ApiPropertyOptional({ maxLength: 2000, example: '不同意' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class ReturnBodyDto extends CommentBodyDto {
  @ApiProperty({ description: 'Element id of an earlier user task (see return-targets)', example: 'apply' })
  @IsString()
  @Matches(ELEMENT_ID_PATTERN)
  targetElementId!: string;

  @ApiPropertyOptional({ description: 'Report what would be cancelled and created; change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class HandOverBodyDto extends CommentBodyDto {
  @ApiProperty({ description: 'Staff id (or sign-in name) to hand the task to', example: '12' })
  @IsString()
  @Matches(USER_REF_PATTERN)
  userId!: string;
}
