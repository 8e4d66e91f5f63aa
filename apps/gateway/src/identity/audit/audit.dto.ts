import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { AuditLogEntity } from '@app/database';
import { EmptyAsUndefined, IsBigintId, IsBusinessTime } from '../../shared/dto-helpers';
import { AUDIT_ACTIONS, type AuditAction } from './audit.service';

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(AUDIT_ACTIONS)
  action?: AuditAction;

  @ApiPropertyOptional({ description: 'Who acted (a staff id or service:<clientId>)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actorId?: string;

  @ApiPropertyOptional({ description: 'The staff member the event is about' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  subjectStaffId?: string;

  @ApiPropertyOptional({ description: 'From (inclusive): ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBusinessTime()
  from?: string;

  @ApiPropertyOptional({ description: 'To (exclusive)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBusinessTime()
  to?: string;
}

export class AuditLogDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ enum: AUDIT_ACTIONS }) action!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) actorKind!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) subjectStaffId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetType!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) ip!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
}

export function mapAuditLog(row: AuditLogEntity): AuditLogDto {
  return {
    id: row.id,
    at: row.at.toISOString(),
    action: row.action,
    actorId: row.actorId,
    actorKind: row.actorKind,
    subjectStaffId: row.subjectStaffId,
    targetType: row.targetType,
    targetId: row.targetId,
    ip: row.ip,
    requestId: row.requestId,
    detail: row.detail,
  };
}
