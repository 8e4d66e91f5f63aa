import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { WorkflowEventTopic } from '@app/contracts';
import { DELIVERY_STATUSES, type WebhookDeliveryEntity, type WebhookSubscriptionEntity } from '@app/database';
import { pathProblem, TEMPLATE_MAX_LENGTH, templateProblem } from './webhook-content';

export const TOPIC_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Topics the platform publishes by itself; integrators may also publish their own (POST /topics/{topic}/publish). */
export const BUILT_IN_TOPICS: Record<string, string> = {
  [WorkflowEventTopic.TaskCreated]: 'a user task was created (assignee, candidates, due time)',
  [WorkflowEventTopic.TaskAssigned]: 'a task got an assignee (claim, transfer, delegate)',
  [WorkflowEventTopic.TaskCompleted]: 'a task was completed',
  [WorkflowEventTopic.TaskCancelled]: 'a task was cancelled (the token left the node)',
  [WorkflowEventTopic.InstanceStarted]: 'a process instance started',
  [WorkflowEventTopic.InstanceEnded]: 'a process instance ended (completed, rejected, stopped, discarded)',
  'instance.urged': 'the current handlers of an instance were urged (催办)',
  'task.copied': 'users were copied on a task (抄送)',
  'sla.reminded': 'SLA: a task is close to its due time',
  'sla.urged': 'SLA: a task is overdue',
  'sla.escalated': 'SLA: an overdue task was transferred to the manager',
  [WorkflowEventTopic.ListenerPublished]:
    'a BPMN listener mapped to "publish" ran (process key, element, event such as start/end/create/complete, listener name)',
};

@ValidatorConstraint({ name: 'fieldPath' })
class FieldPathConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && !pathProblem(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property}: ${typeof args.value === 'string' ? pathProblem(args.value) : 'must be strings'}`;
  }
}

@ValidatorConstraint({ name: 'contentTemplate' })
class ContentTemplateConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && !templateProblem(value);
  }
  defaultMessage(args: ValidationArguments): string {
    return `${args.property}: ${typeof args.value === 'string' ? templateProblem(args.value) : 'must be a string'}`;
  }
}

const EXCLUDE_FIELDS_DOC: ApiPropertyOptions = {
  type: [String],
  maxItems: 50,
  example: ['data.candidates', 'data.assigneeId'],
  description:
    "Dot paths into the event (e.g. `data.candidates`) removed from this receiver's payload before it is " +
    'stored and signed; through an array a path applies to every element. `__proto__`, `constructor` ' +
    'and `prototype` are refused. Keys that look secret (password, secret, token, api key, …) are ' +
    'always replaced by `"[redacted]"`, whatever this list says.',
};

const TEMPLATE_DOC: ApiPropertyOptions = {
  type: String,
  maxLength: TEMPLATE_MAX_LENGTH,
  nullable: true,
  example: '任务 {{data.name}} ({{data.serialNo}}) 已创建',
  description:
    "Content template rendered into the payload's `message` field: plain `{{dot.path}}` substitution " +
    'into the (filtered, redacted) event, no expressions; unknown paths render empty, objects as ' +
    'JSON. Unbalanced `{{`/`}}` and forbidden paths are refused (4101). `null` removes it.',
};

export class CreateWebhookDto {
  @ApiProperty({ maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({
    description: 'http(s) URL of the receiver; private addresses need WEBHOOK_ALLOW_PRIVATE_TARGETS',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ type: [String], description: 'Topics this receiver subscribes to (publish/subscribe)' })
  @IsArray()
  @ArrayMinSize(0)
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(TOPIC_PATTERN, { each: true })
  topics!: string[];

  @ApiPropertyOptional(EXCLUDE_FIELDS_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Validate(FieldPathConstraint, { each: true })
  excludeFields?: string[];

  @ApiPropertyOptional(TEMPLATE_DOC)
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_MAX_LENGTH)
  @Validate(ContentTemplateConstraint)
  template?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) url?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(TOPIC_PATTERN, { each: true })
  topics?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;

  @ApiPropertyOptional(EXCLUDE_FIELDS_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Validate(FieldPathConstraint, { each: true })
  excludeFields?: string[];

  @ApiPropertyOptional(TEMPLATE_DOC)
  @IsOptional()
  @IsString()
  @MaxLength(TEMPLATE_MAX_LENGTH)
  @Validate(ContentTemplateConstraint)
  template?: string | null;
}

export class PushMessageDto {
  @ApiPropertyOptional({ description: 'Topic written on the message (default `message`)' })
  @IsOptional()
  @IsString()
  @Matches(TOPIC_PATTERN)
  topic?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The message body (≤ 64 KiB as JSON)',
  })
  @IsObject()
  @Transform(({ value }) => (JSON.stringify(value ?? null).length > 65_536 ? 'too large' : value))
  data!: Record<string, unknown>;
}

export class DeliveryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: (typeof DELIVERY_STATUSES)[number];
}

export class WebhookDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) topics!: string[];
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: [String], description: 'Dot paths removed from the payloads of this receiver' })
  excludeFields!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'Content template rendered into `message`' })
  template!: string | null;
  @ApiProperty() secretHint!: string;
  @ApiProperty() createdAt!: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ description: 'HMAC-SHA256 key of X-Flowdesk-Signature; shown only now' }) secret!: string;
}

export class DeliveryAttemptDto {
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) httpStatus!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() ms!: number;
}

export class DeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() topic!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() nextAttemptAt!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) lastStatus!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true }) lastError!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) deliveredAt!: string | null;
  @ApiProperty({ type: [DeliveryAttemptDto] }) log!: DeliveryAttemptDto[];
  @ApiProperty({ type: 'object', additionalProperties: true }) payload!: Record<string, unknown>;
}

export class TopicDto {
  @ApiProperty() topic!: string;
  @ApiProperty() description!: string;
  @ApiProperty() builtIn!: boolean;
  @ApiProperty() subscribers!: number;
}

export class PublishedDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() deliveries!: number;
}

export function mapWebhook(w: WebhookSubscriptionEntity): WebhookDto {
  return {
    id: String(w.id),
    name: w.name,
    url: w.url,
    topics: w.topics,
    active: w.active,
    excludeFields: w.excludeFields ?? [],
    template: w.template ?? null,
    secretHint: `…${w.secret.slice(-4)}`,
    createdAt: w.createdAt.toISOString(),
  };
}

export function mapDelivery(d: WebhookDeliveryEntity): DeliveryDto {
  return {
    id: String(d.id),
    eventId: d.eventId,
    topic: d.topic,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt.toISOString(),
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    log: d.log,
    payload: d.payload,
  };
}
