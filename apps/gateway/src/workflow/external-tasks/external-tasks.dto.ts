import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EXTERNAL_TASK_STATUSES, ExternalTaskTopic, MAX_EXTERNAL_TASK_LOCK_MS } from '@app/contracts';

const WORKER_ID = /^[\w.:@-]{1,255}$/;

class WorkerBodyDto {
  @ApiProperty({ example: 'invoice-worker-1', description: 'the worker that holds (or takes) the lock' })
  @IsString()
  @Matches(WORKER_ID)
  workerId!: string;
}

export class FetchAndLockBodyDto extends WorkerBodyDto {
  @ApiPropertyOptional({ default: 10, minimum: 1, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxTasks?: number;

  @ApiProperty({ type: [ExternalTaskTopic] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ExternalTaskTopic)
  topics!: ExternalTaskTopic[];
}

export class CompleteExternalTaskBodyDto extends WorkerBodyDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'process variables to set',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class ExternalTaskFailureBodyDto extends WorkerBodyDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(2000) errorMessage!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) errorDetails?: string;
  @ApiProperty({ description: 'retries left after this failure; 0 raises an incident', minimum: 0 })
  @IsInt()
  @Min(0)
  @Max(1000)
  retries!: number;
  @ApiPropertyOptional({ description: 'milliseconds before the task may be fetched again', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_EXTERNAL_TASK_LOCK_MS)
  retryTimeout?: number;
}

export class ExtendLockBodyDto extends WorkerBodyDto {
  @ApiProperty({ description: 'new lock duration from now, in milliseconds' })
  @IsInt()
  @Min(1)
  @Max(MAX_EXTERNAL_TASK_LOCK_MS)
  newDuration!: number;
}

export class ExternalTaskBpmnErrorBodyDto extends WorkerBodyDto {
  @ApiProperty({ example: 'ERROR-SPEC-10' }) @IsString() @MinLength(1) @MaxLength(255) errorCode!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) errorMessage?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class SetRetriesBodyDto {
  @ApiProperty({ minimum: 1 }) @IsInt() @Min(1) @Max(1000) retries!: number;
}

export class ListExternalTasksQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) topic?: string;
  @ApiPropertyOptional({ enum: EXTERNAL_TASK_STATUSES })
  @IsOptional()
  @IsIn(EXTERNAL_TASK_STATUSES)
  status?: (typeof EXTERNAL_TASK_STATUSES)[number];
}
