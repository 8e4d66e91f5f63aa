import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { type CrmPotentialEntity, POTENTIAL_STATUSES } from '@app/database';
import {
  EmptyAsUndefined,
  IsBigintId,
  IsBusinessTime,
  iso,
  isPresent,
  StaffRefDto,
  TimeWindowQueryDto,
} from '../shared/crm-dto';

export class CreatePotentialDto {
  @ApiProperty() @IsBigintId() organizationId!: string;
  @ApiProperty({ description: 'director_id: the staff member in charge' }) @IsBigintId() directorId!: string;
  @ApiProperty({ description: 'record_time 客户介入的时间: ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @IsBusinessTime()
  recordTime!: string;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class UpdatePotentialDto {
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBigintId() organizationId?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBigintId() directorId?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBusinessTime() recordTime?: string;
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
  @ApiPropertyOptional({ enum: POTENTIAL_STATUSES, description: '0 刚介入 1 跟进中 2 过期 3 完成' })
  @ValidateIf(isPresent)
  @IsIn(POTENTIAL_STATUSES)
  status?: number;
}

export const POTENTIAL_STATUS_FILTERS = ['all', '-1', '0', '1', '2', '3'] as const;

export class PotentialListQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() organizationId?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() directorId?: string;
  @ApiPropertyOptional({
    enum: POTENTIAL_STATUS_FILTERS,
    default: 'all',
    description: 'all = every live record',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(POTENTIAL_STATUS_FILTERS)
  status: (typeof POTENTIAL_STATUS_FILTERS)[number] = 'all';
}

export class PotentialDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty({ type: StaffRefDto }) director!: StaffRefDto;
  @ApiProperty({ format: 'date-time' }) recordTime!: string;
  @ApiProperty({ enum: POTENTIAL_STATUSES }) status!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: StaffRefDto }) creator!: StaffRefDto;
  @ApiProperty() deleted!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) deletedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function potentialSnapshot(p: CrmPotentialEntity): Record<string, unknown> {
  return {
    organizationId: p.organizationId,
    directorId: p.directorId,
    recordTime: iso(p.recordTime),
    status: p.status,
    note: p.note,
    deletedAt: iso(p.deletedAt),
  };
}

export function mapPotential(
  p: CrmPotentialEntity,
  staff: Map<string, string>,
  orgs: Map<string, string>,
): PotentialDto {
  return {
    id: p.id,
    organizationId: p.organizationId,
    organizationName: orgs.get(p.organizationId) ?? '',
    director: { id: p.directorId, name: staff.get(p.directorId) ?? '' },
    recordTime: p.recordTime.toISOString(),
    status: p.status,
    note: p.note,
    creator: { id: p.creatorId, name: staff.get(p.creatorId) ?? '' },
    deleted: p.deletedAt !== null,
    deletedAt: iso(p.deletedAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
