import { Type } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

export const DATA_SCOPES = ['own', 'department', 'department_and_below', 'all'] as const;
export type DataScope = (typeof DATA_SCOPES)[number];

export const ACTOR_KINDS = ['staff', 'app', 'service', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/**
 * Who is calling. The gateway builds it from the verified token or app credentials and passes it with
 * every workflow command; the workflow app trusts it because only the gateway can reach it.
 */
export class Actor {
  @IsString()
  @MaxLength(64)
  id!: string;

  @IsIn(ACTOR_KINDS)
  kind!: ActorKind;

  /**
   * The sign-in name, when the caller has one. BPMN files name people by id or by user name
   * (`camunda:assignee="kermit"`); the workflow app matches both.
   */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  account?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  departmentId?: string | null;

  @IsArray()
  @IsString({ each: true })
  groupIds: string[] = [];

  @IsArray()
  @IsString({ each: true })
  roles: string[] = [];

  @IsArray()
  @IsString({ each: true })
  permissions: string[] = [];

  @IsIn(DATA_SCOPES)
  dataScope: DataScope = 'own';

  /**
   * Departments whose records this actor may see besides their own: their department for
   * `department`, it and its descendants for `department_and_below`, empty for `own` and `all`.
   * Resolved once per request by the gateway, so queries need no tree walk.
   */
  @IsArray()
  @IsString({ each: true })
  departmentIds: string[] = [];

  static system(): Actor {
    return Object.assign(new Actor(), { id: 'system', kind: 'system', dataScope: 'all', roles: ['system'] });
  }
}

export class ActorRef {
  @Type(() => Actor)
  actor!: Actor;
}
