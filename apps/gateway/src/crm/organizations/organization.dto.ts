import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { CrmOrganizationEntity } from '@app/database';
import {
  EmptyAsUndefined,
  IsBigintId,
  IsCalendarDate,
  iso,
  isPresent,
  pick,
  StaffRefDto,
} from '../shared/crm-dto';

class OrganizationFieldsDto {
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, description: 'groupDetail' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  detail?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64, description: 'provience' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  province?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  city?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  county?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64, description: 'legal_person 法人' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  legalPerson?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 64,
    description: 'register_capital 注册资本',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  registeredCapital?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '2020-12-12',
    description: 'registerDate 成立日期',
  })
  @IsOptional()
  @IsCalendarDate()
  registrationDate?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2048 })
  @IsOptional()
  @IsUrl({ require_protocol: false })
  @MaxLength(2048)
  website?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({
    description: 'creator_id: default the caller; must be within your data scope (A-41)',
  })
  @IsOptional()
  @IsBigintId()
  creatorId?: string;
}

export class CreateOrganizationDto extends OrganizationFieldsDto {
  @ApiProperty({ maxLength: 200, description: 'groupName', example: '工信部' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class UpdateOrganizationDto extends OrganizationFieldsDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @ValidateIf(isPresent)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

/** seed 001: all, -1 deleted, 1 normal (default); 0 / 2 / 3 by the latest potential record's status. */
export const ORGANIZATION_STATUS_FILTERS = ['all', '-1', '0', '1', '2', '3'] as const;
export type OrganizationStatusFilter = (typeof ORGANIZATION_STATUS_FILTERS)[number];

export class OrganizationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'organization_name: part of the name (fuzzy)', maxLength: 100 })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_STATUS_FILTERS, default: '1' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(ORGANIZATION_STATUS_FILTERS)
  status: OrganizationStatusFilter = '1';

  @ApiPropertyOptional({ description: 'creator_id' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  creatorId?: string;
}

/** The plain fields of an organization a body sets as given (also the columns of an organization import). */
export const ORGANIZATION_FIELDS = [
  'name',
  'detail',
  'type',
  'province',
  'city',
  'county',
  'address',
  'legalPerson',
  'registeredCapital',
  'registrationDate',
  'website',
  'note',
] as const;

export class OrganizationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) detail!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) type!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) province!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) city!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) county!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) legalPerson!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) registeredCapital!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) registrationDate!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) website!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: StaffRefDto }) creator!: StaffRefDto;
  @ApiProperty({ enum: ['normal', 'deleted'] }) status!: 'normal' | 'deleted';
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) deletedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The audited fields of an organization (the timeline's old and new values). */
export function organizationSnapshot(o: CrmOrganizationEntity): Record<string, unknown> {
  return {
    ...pick(o, ORGANIZATION_FIELDS),
    creatorId: o.creatorId,
    deletedAt: iso(o.deletedAt),
  };
}

export function mapOrganization(o: CrmOrganizationEntity, names: Map<string, string>): OrganizationDto {
  return {
    id: o.id,
    ...pick(o, ORGANIZATION_FIELDS),
    creator: { id: o.creatorId, name: names.get(o.creatorId) ?? '' },
    status: o.deletedAt ? 'deleted' : 'normal',
    deletedAt: iso(o.deletedAt),
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
