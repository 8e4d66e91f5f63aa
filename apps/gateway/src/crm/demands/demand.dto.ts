import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import type { CrmDemandEntity } from '@app/database';
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
} from '../shared/crm-dto';
import { OrganizationRefDto } from '../customers/customer.dto';

class DemandFieldsDto {
  @ApiPropertyOptional({ type: [String], description: 'customer_id' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  customerIds?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, description: 'demand_attach: http(s) URL' })
  @IsOptional()
  @IsAttachmentUrl()
  attach?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, description: 'demand_note' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class CreateDemandDto extends DemandFieldsDto {
  @ApiProperty() @IsBigintId() organizationId!: string;
  @ApiProperty({ type: [String], description: 'follower_id' })
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds!: string[];
  @ApiProperty() @IsBusinessTime() recordTime!: string;
  @ApiProperty({ maxLength: 4000, description: '需求变更内容' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  content!: string;
}

export class UpdateDemandDto extends DemandFieldsDto {
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBigintId() organizationId?: string;
  @ApiPropertyOptional({ type: [String] })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds?: string[];
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBusinessTime() recordTime?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsString() @MinLength(1) @MaxLength(4000) content?: string;
}

export class DemandListQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() organizationId?: string;
}

export class DemandDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty() content!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) attach!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ format: 'date-time' }) recordTime!: string;
  @ApiProperty({ type: StaffRefDto }) creator!: StaffRefDto;
  @ApiProperty({ type: [StaffRefDto] }) followers!: StaffRefDto[];
  @ApiProperty({ type: [OrganizationRefDto] }) customers!: OrganizationRefDto[];
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function demandSnapshot(d: CrmDemandEntity): Record<string, unknown> {
  return {
    organizationId: d.organizationId,
    ...linkedIds(d),
    content: d.content,
    attach: d.attach,
    note: d.note,
    recordTime: iso(d.recordTime),
    deletedAt: iso(d.deletedAt),
  };
}

export function mapDemand(
  d: CrmDemandEntity,
  staff: Map<string, string>,
  orgs: Map<string, string>,
  customers: Map<string, string>,
): DemandDto {
  return {
    id: d.id,
    organizationId: d.organizationId,
    organizationName: orgs.get(d.organizationId) ?? '',
    content: d.content,
    attach: d.attach,
    note: d.note,
    recordTime: d.recordTime.toISOString(),
    ...linkedRefs(d, staff, customers),
  };
}
