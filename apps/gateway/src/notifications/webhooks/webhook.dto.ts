import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { WorkflowEventTopic } from '@app/contracts';
import { DELIVERY_STATUSES, type WebhookDeliveryEntity, type WebhookSubscriptionEntity } from '@app/database';

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
  @ApiProperty() secretHint!: string;
  @ApiProperty() createdAt!: string;
}

export class WebhookWithSecretDto extends WebhookDto {
  @ApiProperty({ description: 'HMAC-SHA256 key of X-Flowdesk-Signature; shown only now' }) secret!: string;
}

export class DeliveryAttemptDto {
  @ApiProperty() at!: string;
  @ApiPropertyOptional({ nullable: true }) httpStatus!: number | null;
  @ApiPropertyOptional({ nullable: true }) error!: string | null;
  @ApiProperty() ms!: number;
}

export class DeliveryDto {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() topic!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() nextAttemptAt!: string;
  @ApiPropertyOptional({ nullable: true }) lastStatus!: number | null;
  @ApiPropertyOptional({ nullable: true }) lastError!: string | null;
  @ApiPropertyOptional({ nullable: true }) deliveredAt!: string | null;
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
