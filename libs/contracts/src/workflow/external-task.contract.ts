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
import { ActorCommand } from './common';

/**
 * External tasks (Camunda `camunda:type="external"`, Flowable `flowable:type="external-worker"`): a
 * service task becomes work that REST workers fetch and lock by topic, then complete, fail (with
 * retries) or answer with a BPMN error. Routes: /api/v1/workflow/external-tasks.
 */
export const EXTERNAL_TASK_STATUSES = ['open', 'completed', 'cancelled'] as const;

const WORKER_ID = /^[\w.:@-]{1,255}$/;
/** Longest lock a worker may take or extend to: one day. */
export const MAX_EXTERNAL_TASK_LOCK_MS = 86_400_000;

export class ExternalTaskTopic {
  @ApiProperty({ example: 'invoice-check' }) @IsString() @MinLength(1) @MaxLength(255) topicName!: string;
  @ApiProperty({ description: 'lock duration in milliseconds', example: 60000 })
  @IsInt()
  @Min(1)
  @Max(MAX_EXTERNAL_TASK_LOCK_MS)
  lockDuration!: number;
}

export class FetchExternalTasksCommand extends ActorCommand {
  @IsString() @Matches(WORKER_ID) workerId!: string;
  @IsOptional() @IsInt() @Min(1) @Max(100) maxTasks?: number;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ExternalTaskTopic)
  topics!: ExternalTaskTopic[];
}

/** A worker's report on a task it has locked. */
export abstract class ExternalTaskWorkerCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
  @IsString() @Matches(WORKER_ID) workerId!: string;
}

export class CompleteExternalTaskCommand extends ExternalTaskWorkerCommand {
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class FailExternalTaskCommand extends ExternalTaskWorkerCommand {
  @IsString() @MinLength(1) @MaxLength(2000) errorMessage!: string;
  @IsOptional() @IsString() @MaxLength(20_000) errorDetails?: string;
  /** Retries left after this failure (Camunda: the worker decides); 0 raises an incident. */
  @IsInt() @Min(0) @Max(1000) retries!: number;
  /** Milliseconds before the task may be fetched again. */
  @IsOptional() @IsInt() @Min(0) @Max(MAX_EXTERNAL_TASK_LOCK_MS) retryTimeout?: number;
}

export class ExtendExternalTaskLockCommand extends ExternalTaskWorkerCommand {
  @IsInt() @Min(1) @Max(MAX_EXTERNAL_TASK_LOCK_MS) newDuration!: number;
}

export class ExternalTaskBpmnErrorCommand extends ExternalTaskWorkerCommand {
  @IsString() @MinLength(1) @MaxLength(255) errorCode!: string;
  @IsOptional() @IsString() @MaxLength(2000) errorMessage?: string;
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

/** An operator gives a task whose retries ran out new ones (resolves its incident). */
export class SetExternalTaskRetriesCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
  @IsInt() @Min(1) @Max(1000) retries!: number;
}

export class ListExternalTasksCommand extends ActorCommand {
  @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
  @IsOptional() @IsString() @MaxLength(255) topic?: string;
  @IsOptional() @IsIn(EXTERNAL_TASK_STATUSES) status?: (typeof EXTERNAL_TASK_STATUSES)[number];
}

export class ExternalTaskReply {
  @ApiProperty() id!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() instanceId!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty({ description: 'BPMN element id of the service task' }) elementId!: string;
  @ApiProperty({ enum: EXTERNAL_TASK_STATUSES }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) workerId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) lockExpiresAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'null until a worker reports a failure' })
  retries!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LockedExternalTaskReply extends ExternalTaskReply {
  @ApiPropertyOptional({ nullable: true, type: String }) businessKey!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'the process variables when the task was fetched',
  })
  variables!: Record<string, unknown>;
}

export class ExternalTaskErrorDetailsReply {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) errorDetails!: string | null;
}
