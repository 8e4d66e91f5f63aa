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
import type { CrmContractEntity } from '@app/database';
import {
  EmptyAsUndefined,
  IsBigintId,
  IsBusinessTime,
  IsMoney,
  iso,
  isPresent,
  moneyString,
  StaffRefDto,
  TimeWindowQueryDto,
  ToIdArray,
} from '../shared/crm-dto';

class ContractFieldsDto {
  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  code?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '112.00',
    description: 'number or numeric string, 2 decimals',
  })
  @IsOptional()
  @IsMoney()
  amount?: string | number | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: '100.00' })
  @IsOptional()
  @IsMoney()
  remitAmount?: string | number | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'remit_time' })
  @IsOptional()
  @IsBusinessTime()
  remitTime?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'follower_id' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  followerIds?: string[];

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({
    description: 'creator_id: default you, within your data scope; editor is always you (A-41)',
  })
  @IsOptional()
  @IsBigintId()
  creatorId?: string;
}

export class CreateContractDto extends ContractFieldsDto {
  @ApiProperty() @IsBigintId() organizationId!: string;
  @ApiProperty({ maxLength: 200 }) @IsString() @MinLength(1) @MaxLength(200) name!: string;
  @ApiProperty({ description: 'sign_time' }) @IsBusinessTime() signTime!: string;
}

export class UpdateContractDto extends ContractFieldsDto {
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBigintId() organizationId?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsString() @MinLength(1) @MaxLength(200) name?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsBusinessTime() signTime?: string;
}

export class ContractListQueryDto extends TimeWindowQueryDto {
  @ApiPropertyOptional({ description: 'window on sign time; default one year' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  organizationId?: string;
}

export class ContractDto {
  @ApiProperty() id!: string;
  @ApiProperty() organizationId!: string;
  @ApiProperty() organizationName!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) code!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '112.00' }) amount!: string | null;
  @ApiProperty({ format: 'date-time' }) signTime!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) remitAmount!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) remitTime!: string | null;
  @ApiProperty({ type: [StaffRefDto] }) followers!: StaffRefDto[];
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: StaffRefDto }) creator!: StaffRefDto;
  @ApiPropertyOptional({ type: StaffRefDto, nullable: true }) editor!: StaffRefDto | null;
  @ApiProperty() deleted!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function contractSnapshot(c: CrmContractEntity): Record<string, unknown> {
  return {
    organizationId: c.organizationId,
    name: c.name,
    code: c.code,
    amount: moneyString(c.amount),
    signTime: iso(c.signTime),
    remitAmount: moneyString(c.remitAmount),
    remitTime: iso(c.remitTime),
    followerIds: c.followerIds.map(String),
    note: c.note,
    creatorId: c.creatorId,
    deletedAt: iso(c.deletedAt),
  };
}

export function mapContract(
  c: CrmContractEntity,
  staff: Map<string, string>,
  orgs: Map<string, string>,
): ContractDto {
  return {
    id: c.id,
    organizationId: c.organizationId,
    organizationName: orgs.get(c.organizationId) ?? '',
    name: c.name,
    code: c.code,
    amount: moneyString(c.amount),
    signTime: c.signTime.toISOString(),
    remitAmount: moneyString(c.remitAmount),
    remitTime: iso(c.remitTime),
    followers: c.followerIds.map((id) => ({ id: String(id), name: staff.get(String(id)) ?? '' })),
    note: c.note,
    creator: { id: c.creatorId, name: staff.get(c.creatorId) ?? '' },
    editor: c.editorId ? { id: c.editorId, name: staff.get(c.editorId) ?? '' } : null,
    deleted: c.deletedAt !== null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
