import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { MESSAGE_CHANNELS, MESSAGE_LOCALES, type MessageTemplateEntity } from '@app/database';
import { MASK_STRATEGY_NAMES } from '../centre/masking';

const TEMPLATE_CHANNELS = MESSAGE_CHANNELS.filter((c) => c !== 'webhook');

export class SaveTemplateDto {
  @ApiProperty({ example: 'task.created', description: 'Event type (GET /messages/event-types)' })
  @IsString()
  @MaxLength(64)
  eventType!: string;

  @ApiProperty({ enum: TEMPLATE_CHANNELS })
  @IsIn(TEMPLATE_CHANNELS)
  channel!: (typeof TEMPLATE_CHANNELS)[number];

  @ApiProperty({ enum: MESSAGE_LOCALES })
  @IsIn(MESSAGE_LOCALES)
  locale!: (typeof MESSAGE_LOCALES)[number];

  @ApiPropertyOptional({ maxLength: 255, description: 'Subject (e-mail), title (inbox, stream, robots)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  subject?: string;

  @ApiProperty({
    maxLength: 4000,
    example: '{{recipient.name}}，您有新任务「{{name}}」，联系电话 {{recipient.mobile}}',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  body!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: MASK_STRATEGY_NAMES },
    example: { 'recipient.mobile': 'mobile', 'recipient.name': 'name' },
    description: 'Variable path → masking strategy',
  })
  @IsOptional()
  @IsObject()
  fieldMasks?: Record<string, string>;
}

export class PreviewTemplateDto extends SaveTemplateDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Values to render with (default: the event type’s sample data)',
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class TemplateQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) eventType?: string;
  @ApiPropertyOptional({ enum: TEMPLATE_CHANNELS }) @IsOptional() @IsIn(TEMPLATE_CHANNELS) channel?: string;
  @ApiPropertyOptional({ enum: MESSAGE_LOCALES }) @IsOptional() @IsIn(MESSAGE_LOCALES) locale?: string;
  @ApiPropertyOptional({
    description: 'true: every version; default: only the one in use per channel and language',
  })
  @IsOptional()
  @Transform(({ value }) =>
    value === 'true' || value === true ? true : value === 'false' || value === false ? false : value,
  )
  @IsBoolean()
  allVersions?: boolean;
}

export class SetTemplateActiveDto {
  @ApiProperty() @IsBoolean() active!: boolean;
}

export class TemplateDto {
  @ApiProperty() id!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: MESSAGE_CHANNELS }) channel!: string;
  @ApiProperty({ enum: MESSAGE_LOCALES }) locale!: string;
  @ApiProperty() version!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) fieldMasks!: Record<
    string,
    string
  >;
  @ApiProperty({ type: [String], description: 'Variables the subject and body use' }) variables!: string[];
  @ApiProperty() active!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PreviewDto {
  @ApiPropertyOptional({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
}

export class EventVariableDto {
  @ApiProperty() path!: string;
  @ApiProperty({ description: 'Sample value (preview)' }) sample!: string;
}

export class EventTypeDto {
  @ApiProperty() eventType!: string;
  @ApiProperty({ type: [EventVariableDto] }) variables!: EventVariableDto[];
  @ApiProperty({ type: [String], enum: MASK_STRATEGY_NAMES }) maskStrategies!: string[];
}

export function mapTemplate(t: MessageTemplateEntity, variables: string[]): TemplateDto {
  return {
    id: String(t.id),
    eventType: t.eventType,
    channel: t.channel,
    locale: t.locale,
    version: t.version,
    subject: t.subject,
    body: t.body,
    fieldMasks: t.fieldMasks,
    variables,
    active: t.active,
    createdBy: t.createdBy,
    createdAt: t.createdAt.toISOString(),
  };
}
