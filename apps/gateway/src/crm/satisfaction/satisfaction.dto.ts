import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@app/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import type { CrmSatisfactionEntity } from '@app/database';
import {
  EmptyAsUndefined,
  IsAttachmentUrl,
  IsBigintId,
  IsBusinessTime,
  iso,
  isPresent,
  linkedIds,
  linkedRefs,
  StaffRefDto,
  TimeWindowQueryDto,
  ToIdArray,
  ToIdList,
} from '../shared/crm-dto';
import { OrganizationRefDto } from '../customers/customer.dto';

class SatisfactionFieldsDto {
  @ApiPropertyOptional({ type: [String], description: 'customers_id (a scalar is a list of one)' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  customerIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'follower_id: the praised or criticised staff' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'http(s) URL' })
  @IsOptional()
  @IsAttachmentUrl()
  attach?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class CreateSatisfactionDto extends SatisfactionFieldsDto {
  @ApiPropertyOptional({
    description: 'required unless all named customers belong to exactly one organization (A-37)',
  })
  @IsOptional()
  @IsBigintId()
  organizationId?: string;
  @ApiProperty() @IsBusinessTime() recordTime!: string;
  @ApiProperty({ minimum: -10, maximum: 10 }) @ToInt() @IsInt() @Min(-10) @Max(10) value!: number;
}

export class UpdateSatisfactionDto extends SatisfactionFieldsDto {
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBigintId() organizationId?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBusinessTime() recordTime?: string;
  @ApiPropertyOptional({ minimum: -10, maximum: 10 })
  @ValidateIf(isPresent)
  @ToInt()
  @IsInt()
  @Min(-10)
  @Max(10)
  value?: number;
}

export class SatisfactionListQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() organizationId?: string;
  @ApiPropertyOptional({ type: [String], description: 'customers_id: any of these customers' })
  @ToIdList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  customerIds?: string[];
}

export class SatisfactionDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty() value!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) attach!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) recordTime!: string;
  @ApiProperty({ type: StaffRefDto, description: 'operator' }) creator!: StaffRefDto;
  @ApiProperty({ type: [StaffRefDto] }) followers!: StaffRefDto[];
  @ApiProperty({ type: [OrganizationRefDto] }) customers!: OrganizationRefDto[];
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function satisfactionSnapshot(s: CrmSatisfactionEntity): Record<string, unknown> {
  return {
    organizationId: s.organizationId,
    ...linkedIds(s),
    value: s.value,
    attach: s.attach,
    note: s.note,
    recordTime: iso(s.recordTime),
    deletedAt: iso(s.deletedAt),
  };
}

export function mapSatisfaction(
  s: CrmSatisfactionEntity,
  staff: Map<string, string>,
  orgs: Map<string, string>,
  customers: Map<string, string>,
): SatisfactionDto {
  return {
    id: s.id,
    organizationId: s.organizationId,
    organizationName: orgs.get(s.organizationId) ?? '',
    value: s.value,
    attach: s.attach,
    note: s.note,
    recordTime: s.recordTime.toISOString(),
    ...linkedRefs(s, staff, customers),
  };
}
