import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Actor } from '../actor';
import { Command } from '../commands/command';

/** Workflow permission codes (granted through roles; `*` holds them all). */
export const WORKFLOW_PERMISSIONS = {
  'workflow:deploy': 'Deploy, suspend and categorise process definitions',
  'workflow:admin': 'See and intervene in every process instance and task',
  'workflow:external-task':
    'Act as an external-task worker: fetch and lock tasks by topic, complete, fail, extend locks, report BPMN errors',
} as const;
export type WorkflowPermission = keyof typeof WORKFLOW_PERMISSIONS;

export function actorHas(actor: Pick<Actor, 'permissions'>, permission: WorkflowPermission): boolean {
  return actor.permissions.includes('*') || actor.permissions.includes(permission);
}

/** Every workflow command carries the caller; the workflow app authorizes with it. */
export abstract class ActorCommand extends Command {
  protected static override readonly carriesActor: boolean = true;

  @ValidateNested()
  @Type(() => Actor)
  actor!: Actor;
}

export const IDEMPOTENCY_KEY_PATTERN = /^[\w.:-]{1,200}$/;

/** Writes a client may retry carry the `Idempotency-Key` header's value. */
export abstract class IdempotentCommand extends ActorCommand {
  @IsOptional()
  @IsString()
  @Matches(IDEMPOTENCY_KEY_PATTERN, { message: 'idempotencyKey must be 1-200 of [A-Za-z0-9_.:-]' })
  idempotencyKey?: string;
}

export abstract class PagedCommand extends ActorCommand {
  @IsInt()
  @Min(1)
  pageNum: number = 1;

  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 20;
}

export interface PageReply<T> {
  total: number;
  pageNum: number;
  pageSize: number;
  rows: T[];
}

/** Process variables: a JSON object, bounded in size by the gateway's body limit. */
export class VariablesHolder {
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { day: 5, approved: true } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class CommentHolder {
  @ApiPropertyOptional({ maxLength: 2000, example: '同意' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class IdRef {
  @ApiProperty({ example: '42' })
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'id must be a numeric id' })
  id!: string;
}
