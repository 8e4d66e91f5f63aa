import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IdempotentCommand } from './common';
import { InstanceSummaryReply } from './instance.contract';
import { CompleteTaskCommand, TaskRefCommand, TaskReply } from './task.contract';

/** A staff id or sign-in name as task assignees are written. */
export const USER_REF_PATTERN = /^[\w.@-]{1,64}$/;
/** A BPMN element id. */
export const ELEMENT_ID_PATTERN = /^[A-Za-z_][\w.-]{0,254}$/;

/** Task operations that carry only a comment: reject (驳回), resolve (委派归还). */
export class TaskCommentCommand extends TaskRefCommand {
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
}

/** Return (退回) to an earlier user task; `dryRun` reports what would happen and changes nothing. */
export class ReturnTaskCommand extends TaskRefCommand {
  @IsString() @Matches(ELEMENT_ID_PATTERN) targetElementId!: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @IsOptional() @IsBoolean() dryRun?: boolean;
}

/** Delegate (委派) or transfer (转办) to another user. */
export class HandOverTaskCommand extends TaskRefCommand {
  @IsString() @Matches(USER_REF_PATTERN) userId!: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class InstanceRefCommand extends IdempotentCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
  @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** Relaunch (重新发起) a rejected, stopped or discarded instance with edited variables. */
export class RelaunchInstanceCommand extends InstanceRefCommand {
  @IsOptional() @IsObject() variables?: Record<string, unknown>;
  @IsOptional() @IsString() @MaxLength(255) title?: string;
}

/**
 * Complete + jump in one step: the task is done with its data and the run goes on at
 * `targetElementId` instead of the model's next node. Admins only, unless the workflow app itself
 * grants it (the seed-002 audit).
 */
export class CompleteAndJumpCommand extends CompleteTaskCommand {
  @IsString() @Matches(ELEMENT_ID_PATTERN) targetElementId!: string;
}

/** Admin jump (seed 002 nextNodeSeq) to a named node; same legality checks as a return. */
export class JumpInstanceCommand extends InstanceRefCommand {
  @IsString() @Matches(ELEMENT_ID_PATTERN) targetElementId!: string;
  @IsOptional() @IsBoolean() dryRun?: boolean;
}

/** Countersign: add or remove a signer of a running multi-instance node. */
export class SignerCommand extends InstanceRefCommand {
  @IsString() @Matches(ELEMENT_ID_PATTERN) elementId!: string;
  @IsString() @Matches(USER_REF_PATTERN) userId!: string;
}

export class NodeRef {
  @ApiProperty() elementId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) name!: string | null;
}

export class ReturnTargetReply extends NodeRef {
  @ApiProperty({ description: 'A multi-instance node returns (and restarts) as a whole' })
  multiInstance!: boolean;
}

/** What a return / jump / revoke did, or (dryRun) would do. */
export class MoveReply {
  @ApiProperty() dryRun!: boolean;
  @ApiProperty({ description: 'Instance status after the move' }) instanceStatus!: string;
  @ApiProperty({ type: [TaskReply], description: 'Open tasks the move cancels' })
  cancelledTasks!: TaskReply[];
  @ApiProperty({ type: [NodeRef], description: 'Nodes the move starts' }) createdNodes!: NodeRef[];
  @ApiProperty({ type: [TaskReply], description: 'Tasks created (empty for a dry run)' })
  createdTasks!: TaskReply[];
}

export class RelaunchReply extends InstanceSummaryReply {
  @ApiProperty({ type: [TaskReply] }) tasks!: TaskReply[];
}

export class UrgeReply {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ type: [String], description: 'Assignees and candidate keys notified' }) notified!: string[];
  @ApiProperty({ format: 'date-time', description: 'No further urge before this moment' })
  nextAllowedAt!: string;
}

export class DeletedReply {
  @ApiProperty() deleted!: true;
}
