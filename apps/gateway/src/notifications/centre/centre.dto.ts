import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import {
  MESSAGE_CHANNELS,
  MESSAGE_LOCALES,
  type MessageSendEntity,
  SEND_STATUSES,
  type SendAttempt,
} from '@app/database';
import { CONFIGURED_CHANNELS, MEMBER_CHANNELS } from './preferences';
import { IsBusinessTime } from '../../shared/dto-helpers';

export class ChannelConfigDto {
  @ApiProperty({ enum: MESSAGE_CHANNELS }) channel!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Settings; secret values (pass, secret, accessKeySecret, webhook) are shown as "***"',
  })
  config!: Record<string, unknown>;
  @ApiProperty({ description: 'The in-app inbox, stream and webhooks need no settings' })
  configurable!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) updatedAt!: string | null;
}

export class SaveChannelConfigDto {
  @ApiProperty() @IsBoolean() enabled!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    // one example per channel would need OpenAPI 3.1 `examples`; the others are in the description
    example: {
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'robot',
      pass: '***',
      from: 'Flowdesk <robot@example.com>',
    },
    description:
      'The channel’s settings (the example is `email`). dingtalk: `{webhook, secret}`; wecom: `{webhook}`; ' +
      'sms: `{provider: "aliyun", accessKeyId, accessKeySecret, signName, templateCode}`. ' +
      'A secret given as "***" keeps the stored value',
  })
  @IsObject()
  config!: Record<string, unknown>;
}

export class SensitiveWordsDto {
  @ApiProperty({ type: [String], maxItems: 10000, example: ['机密', 'password'] })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(64, { each: true })
  words!: string[];
}

export class FilterCheckDto {
  @ApiProperty({ maxLength: 10000 }) @IsString() @MaxLength(10_000) text!: string;
}

export class FilterResultDto {
  @ApiProperty() text!: string;
  @ApiProperty({ type: [String] }) found!: string[];
}

export class PreferenceChoiceDto {
  @ApiProperty({ example: 'task.created' }) @IsString() @MaxLength(64) eventType!: string;
  @ApiProperty({ enum: MESSAGE_CHANNELS }) @IsIn(MESSAGE_CHANNELS) channel!: string;
  @ApiProperty() @IsBoolean() enabled!: boolean;
}

export class SaveMyPreferencesDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'zhangsan@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'For SMS; default: the staff record’s phone',
  })
  @IsOptional()
  @Matches(/^\+?\d{5,20}$/)
  mobile?: string | null;

  @ApiPropertyOptional({ enum: MESSAGE_LOCALES }) @IsOptional() @IsIn(MESSAGE_LOCALES) locale?: string;

  @ApiPropertyOptional({ type: [PreferenceChoiceDto], description: 'Choices to set (others stay)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PreferenceChoiceDto)
  choices?: PreferenceChoiceDto[];
}

export class EffectiveChoiceDto {
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: MEMBER_CHANNELS }) channel!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ enum: ['member', 'default', 'built-in'] }) source!: string;
}

export class MyPreferencesDto {
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) mobile!: string | null;
  @ApiProperty({ enum: MESSAGE_LOCALES }) locale!: string;
  @ApiProperty({ type: [EffectiveChoiceDto] }) choices!: EffectiveChoiceDto[];
}

export class SaveDefaultsDto {
  @ApiProperty({ type: [PreferenceChoiceDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => PreferenceChoiceDto)
  choices!: PreferenceChoiceDto[];
}

export class DefaultChoiceDto {
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: MESSAGE_CHANNELS }) channel!: string;
  @ApiProperty() enabled!: boolean;
}

export class SendQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: SEND_STATUSES }) @IsOptional() @IsIn(SEND_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: MESSAGE_CHANNELS }) @IsOptional() @IsIn(MESSAGE_CHANNELS) channel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) eventType?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[1-9]\d{0,18}$/) recipientId?: string;
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
  messageId?: string;
  // strings checked whole, not @Type(() => Date): new Date() took `abc` (SQL error), `1` (2001) and 2024-02-30
  @ApiPropertyOptional({
    description: 'Created at or after: ISO 8601 with an offset or yyyy-MM-dd HH:mm:ss (business time zone)',
  })
  @IsOptional()
  @IsBusinessTime()
  from?: string;
  @ApiPropertyOptional({ description: 'Created before (a bare yyyy-MM-dd: to the end of that day)' })
  @IsOptional()
  @IsBusinessTime()
  to?: string;
}

export class SendAttemptDto {
  @ApiProperty() at!: string;
  @ApiProperty({ enum: ['sent', 'delivered', 'failed'] }) status!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The provider’s answer' }) answer!:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) error!: string | null;
  @ApiProperty() ms!: number;
}

export class SendDto {
  @ApiProperty() id!: string;
  @ApiProperty() messageId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: MESSAGE_CHANNELS }) channel!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) recipientId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) templateId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) subject!: string | null;
  @ApiProperty() body!: string;
  @ApiProperty({ enum: SEND_STATUSES }) status!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty() nextAttemptAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) lastError!: string | null;
  @ApiProperty({ type: [SendAttemptDto] }) log!: SendAttempt[];
  @ApiProperty() createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) sentAt!: string | null;
}

export function mapSend(s: MessageSendEntity): SendDto {
  return {
    id: String(s.id),
    messageId: s.messageId,
    eventType: s.eventType,
    channel: s.channel,
    recipientId: s.recipientId,
    address: s.address,
    templateId: s.templateId,
    subject: s.subject,
    body: s.body,
    status: s.status,
    attempts: s.attempts,
    nextAttemptAt: s.nextAttemptAt.toISOString(),
    lastError: s.lastError,
    log: s.attemptsLog,
    createdAt: s.createdAt.toISOString(),
    sentAt: s.sentAt?.toISOString() ?? null,
  };
}

export const CONFIGURABLE = new Set<string>(CONFIGURED_CHANNELS);
