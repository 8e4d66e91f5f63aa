import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { type CrmFollowUpEntity, FOLLOW_UP_EVENTS } from '@app/database';
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

class FollowUpFieldsDto {
  @ApiPropertyOptional({ type: [String], description: 'customers_id' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  customerIds?: string[];

  @ApiPropertyOptional({
    nullable: true,
    enum: FOLLOW_UP_EVENTS,
    description: '1 接入 2 走访拜访 3 电话拜访 4 签约 5 售后',
  })
  @IsOptional()
  @IsIn(FOLLOW_UP_EVENTS)
  event?: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  gain?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 2048,
    description: 'event_attach: http(s) URL',
  })
  @IsOptional()
  @IsAttachmentUrl()
  attach?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000, description: 'event_note' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class CreateFollowUpDto extends FollowUpFieldsDto {
  @ApiProperty({ description: 'protent_id: the potential record' }) @IsBigintId() potentialId!: string;

  @ApiProperty({ type: [String], description: 'follower_id: staff who followed up' })
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds!: string[];

  @ApiProperty({ description: 'record_time' }) @IsBusinessTime() recordTime!: string;
}

export class UpdateFollowUpDto extends FollowUpFieldsDto {
  @ApiPropertyOptional({ type: [String] })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds?: string[];

  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBusinessTime() recordTime?: string;
}

export class FollowUpListQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional({ description: 'protent_id' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  potentialId?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() organizationId?: string;
}

export class FollowUpDto {
  @ApiProperty() id!: string;
  @ApiProperty() potentialId!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiPropertyOptional({ nullable: true, type: Number }) event!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) gain!: string | null;
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

export function followUpSnapshot(f: CrmFollowUpEntity): Record<string, unknown> {
  return {
    potentialId: f.potentialId,
    ...linkedIds(f),
    event: f.event,
    gain: f.gain,
    attach: f.attach,
    note: f.note,
    recordTime: iso(f.recordTime),
    deletedAt: iso(f.deletedAt),
  };
}

export function mapFollowUp(
  f: CrmFollowUpEntity,
  staff: Map<string, string>,
  orgs: Map<string, string>,
  customers: Map<string, string>,
): FollowUpDto {
  return {
    id: f.id,
    potentialId: f.potentialId,
    organizationId: f.organizationId,
    organizationName: orgs.get(f.organizationId) ?? '',
    event: f.event,
    gain: f.gain,
    attach: f.attach,
    note: f.note,
    recordTime: f.recordTime.toISOString(),
    ...linkedRefs(f, staff, customers),
  };
}
