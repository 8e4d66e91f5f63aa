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
import { ActorCommand, IdempotentCommand, PagedCommand } from './common';

export const TASK_SCOPES = ['todo', 'claimable', 'done', 'copied'] as const;
export type TaskScope = (typeof TASK_SCOPES)[number];

export class ListTasksCommand extends PagedCommand {
  /** todo = assigned to me + unclaimed where I am a candidate; claimable = the latter only; done = completed by me; copied = copied to me. */
  @IsIn(TASK_SCOPES) scope: TaskScope = 'todo';
  @IsOptional() @IsString() @MaxLength(255) processName?: string;
  @IsOptional() @IsString() @MaxLength(255) processKey?: string;
  @IsOptional() @IsString() @MaxLength(64) category?: string;
  /** Instance start-time range (seed 004 beginTime / endTime), ISO 8601. */
  @IsOptional() @IsString() startedFrom?: string;
  @IsOptional() @IsString() startedTo?: string;
  @IsOptional() @IsString() @Matches(/^\d{1,18}$/) instanceId?: string;
  /** Only tasks assigned to me (seed 000's 待处理, A-22): todo without the claimable ones. */
  @IsOptional() @IsBoolean() assignedOnly?: boolean;
  /** Add each row's `instance` (status and variables): seed 004's procVars / processStatus. */
  @IsOptional() @IsBoolean() withInstance?: boolean;
}

export class TaskRefCommand extends IdempotentCommand {
  @IsString() @Matches(/^\d{1,18}$/) taskId!: string;
}

export class GetTaskCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) taskId!: string;
}

export class CompleteTaskCommand extends TaskRefCommand {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
  /** Copy-to (抄送) user ids. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(/^[\w.@-]{1,64}$/, { each: true })
  copyTo?: string[];
  /** Element id → user ids: assignees of the nodes this completion opens. */
  @IsOptional() @IsObject() nextAssignees?: Record<string, string[]>;
}

export class TaskReply {
  @ApiProperty({ example: '101' }) id!: string;
  @ApiProperty() instanceId!: string;
  @ApiProperty() definitionId!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty() processName!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) category!: string | null;
  @ApiProperty({ description: 'BPMN element id (the node)' }) elementId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) assigneeId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Set while delegated' }) ownerId!:
    string | null;
  @ApiProperty({
    type: [String],
    description: 'Candidate keys: user ids, group:<id>, dept:<id>, role:<code>',
  })
  candidates!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) formKey!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) priority!: number | null;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) dueAt!: string | null;
  @ApiProperty({ enum: ['open', 'completed', 'cancelled'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) outcome!: string | null;
  @ApiProperty() initiatorId!: string;
  @ApiProperty({ format: 'date-time' }) instanceStartedAt!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String }) endedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) endedBy!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    properties: { index: { type: 'integer' }, total: { type: 'integer' } },
    nullable: true,
    description: 'Multi-instance position: { index, total }',
  })
  multiInstance!: { index: number; total: number } | null;
  @ApiPropertyOptional({
    nullable: true,
    enum: ['pending', 'resolved'],
    description: 'Delegation (委派) state',
  })
  delegationState!: string | null;
  /**
   * Only with `ListTasksCommand.withInstance` (the seed-004 lists); not part of the platform API, whose
   * instance detail carries the variables.
   */
  instance?: { status: string; variables: Record<string, unknown> };
}

/** Operations on one task; a task's detail lists those its caller may do now (the buttons a client shows). */
export const TASK_ACTIONS = [
  'claim',
  'unclaim',
  'complete',
  'reject',
  'return',
  'delegate',
  'resolve',
  'transfer',
  'addSigner',
  'removeSigner',
] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

export class TaskDetailReply extends TaskReply {
  @ApiProperty({
    enum: TASK_ACTIONS,
    isArray: true,
    description:
      'What the caller may do on this task now (complete also carries copy-to and next-node assignees); empty when it is not open',
  })
  actions!: TaskAction[];
}

export class TaskActionReply {
  @ApiProperty({ type: TaskReply }) task!: TaskReply;
  @ApiProperty({ description: 'Instance status after the action' }) instanceStatus!: string;
  @ApiProperty({ type: [TaskReply], description: 'Tasks the action created' }) createdTasks!: TaskReply[];
}
