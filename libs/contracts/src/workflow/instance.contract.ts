import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
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
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ActorCommand, IdempotentCommand, PagedCommand } from './common';
import {
  FORM_FIELD_KEY,
  FormFieldFilter,
  MAX_FORM_FIELD_FILTERS,
  MAX_FORM_FIELDS_SHOWN,
} from './form-field.contract';
import { TaskReply } from './task.contract';

export const INSTANCE_STATUS_VALUES = [
  'running',
  'completed',
  'rejected',
  'stopped',
  'discarded',
  'failed',
] as const;
export type InstanceStatusName = (typeof INSTANCE_STATUS_VALUES)[number];

export class StartInstanceCommand extends IdempotentCommand {
  @ValidateIf((o: StartInstanceCommand) => !o.definitionKey)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'definitionId must be a numeric id (or give definitionKey)' })
  definitionId?: string;

  /** Starts the newest active version of this key. */
  @ValidateIf((o: StartInstanceCommand) => !o.definitionId)
  @IsString()
  @MaxLength(255)
  definitionKey?: string;

  @IsOptional() @IsString() @MaxLength(255) businessKey?: string;
  @IsOptional() @IsString() @MaxLength(255) title?: string;
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

export class ListInstancesCommand extends PagedCommand {
  /** `started`: mine; `all`: everything I may see (admins: every instance). */
  @IsIn(['started', 'all']) scope: 'started' | 'all' = 'started';
  @IsOptional() @IsIn(INSTANCE_STATUS_VALUES) status?: InstanceStatusName;
  /** true: every ended status; false: running only. */
  @IsOptional() @IsBoolean() finished?: boolean;
  @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
  @IsOptional() @IsString() @MaxLength(255) processName?: string;
  /** The definition's category (seed 004 ownList `category`). */
  @IsOptional() @IsString() @MaxLength(255) category?: string;
  @IsOptional() @IsString() @MaxLength(255) businessKey?: string;
  @IsOptional() @IsString() startedFrom?: string;
  @IsOptional() @IsString() startedTo?: string;
  /** Conditions over the instance's variables (its form data), all of which must hold. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FORM_FIELD_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => FormFieldFilter)
  formFilters?: FormFieldFilter[];
  /** Variables to return with each row (`formValues`). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FORM_FIELDS_SHOWN)
  @Matches(FORM_FIELD_KEY, { each: true })
  formFields?: string[];
}

export class GetInstanceCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
}

export class InstanceSummaryReply {
  @ApiProperty({ example: '12' }) id!: string;
  @ApiProperty({ example: 'leave_202611_0007' }) serialNo!: string;
  @ApiProperty() definitionId!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty() definitionVersion!: number;
  @ApiProperty() processName!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) category!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) businessKey!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ enum: INSTANCE_STATUS_VALUES }) status!: InstanceStatusName;
  @ApiProperty() initiatorId!: string;
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endReason!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) parentInstanceId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) relaunchedFromId!: string | null;
  @ApiProperty({ type: [String], description: 'Names of the nodes holding a token now' })
  currentNodes!: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The variables named by `formFields` (lists only; absent ones are null)',
  })
  formValues?: Record<string, unknown>;
}

export class HistoryEntryReply {
  @ApiProperty() elementId!: string;
  @ApiProperty({
    description:
      'The execution that entered the element (one per multi-instance iteration); an open one that waits for a message is what `POST instances/{id}/messages` takes as `executionId`',
  })
  executionId!: string;
  @ApiProperty() elementType!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) elementName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) taskId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorId!: string | null;
  @ApiProperty({ format: 'date-time' }) enteredAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) leftAt!: string | null;
  @ApiPropertyOptional({ nullable: true, enum: ['completed', 'cancelled'] }) outcome!: string | null;
}

export class CommentReply {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) taskId!: string | null;
  @ApiProperty({ example: 'normal' }) type!: string;
  @ApiProperty() actorId!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** Operations on one instance; its detail lists those its caller may do now (the buttons a client shows). */
export const INSTANCE_ACTIONS = ['urge', 'revoke', 'stop', 'relaunch'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

export class InstanceDetailReply extends InstanceSummaryReply {
  @ApiProperty({ type: 'object', additionalProperties: true }) variables!: Record<string, unknown>;
  @ApiProperty({ type: [TaskReply], description: 'Open tasks' }) tasks!: TaskReply[];
  @ApiProperty({ type: [HistoryEntryReply] }) history!: HistoryEntryReply[];
  @ApiProperty({ type: [CommentReply] }) comments!: CommentReply[];
  @ApiProperty() version!: number;
  @ApiProperty({
    enum: INSTANCE_ACTIONS,
    isArray: true,
    description: 'What the caller may do on this instance now, from the checks the commands make',
  })
  actions!: InstanceAction[];
}

export class StartInstanceReply extends InstanceSummaryReply {
  @ApiProperty({ type: [TaskReply], description: 'Tasks created by the start' }) tasks!: TaskReply[];
}

export class DiagramReply {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ description: 'BPMN 2.0 XML of the definition version, for bpmn-js' }) xml!: string;
  @ApiProperty({ type: [String] }) activeActivityIds!: string[];
  @ApiProperty({ type: [String] }) completedActivityIds!: string[];
  @ApiProperty({ type: [String] }) takenFlowIds!: string[];
}

export class CorrelateMessageCommand extends IdempotentCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
  @IsIn(['message', 'signal']) kind: 'message' | 'signal' = 'message';
  @IsString() @MaxLength(255) name!: string;
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
  /** Messages only: the one waiting execution to deliver to (an executionId of the instance's history). */
  @IsOptional() @IsString() @MaxLength(255) executionId?: string;
  /** Messages only: every execution that waits for it (Camunda's correlateAll). */
  @IsOptional() @IsBoolean() all?: boolean;
}
