import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { GROUP_STATUSES, type GroupStatus, type StaffGroupEntity } from '@app/database';
import { EmptyAsUndefined, IsBigintId } from '../../shared/dto-helpers';
import { MenuRefDto } from '../staff/staff.dto';

const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);

class GroupFieldsDto {
  @ApiPropertyOptional({
    maxLength: 1000,
    nullable: true,
    type: String,
    description: '说明 (seed 001 content)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  detail?: string | null;

  @ApiPropertyOptional({
    type: [String],
    description: 'Menus granted to every member (replaces); needs staff:grant, never more than you hold',
  })
  @Present()
  @IsArray()
  @ArrayMaxSize(500)
  @IsBigintId({ each: true })
  menuIds?: string[];
}

export class CreateGroupDto extends GroupFieldsDto {
  @ApiProperty({ maxLength: 64, example: '管理员' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;
}

export class UpdateGroupDto extends GroupFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;
}

export const GROUP_STATUS_FILTERS = ['all', ...GROUP_STATUSES] as const;
const DEFAULT_GROUP_STATUS = 'enabled';

export class GroupListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: GROUP_STATUS_FILTERS,
    default: DEFAULT_GROUP_STATUS,
    description: 'seed 001: all / 1 (enabled) / -1 (deleted)',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(GROUP_STATUS_FILTERS)
  status: (typeof GROUP_STATUS_FILTERS)[number] = DEFAULT_GROUP_STATUS;
}

export class GroupDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty({ enum: GROUP_STATUSES }) status!: GroupStatus;
  @ApiProperty({ description: 'Members not deleted' }) memberCount!: number;
  @ApiProperty({ type: [MenuRefDto] }) menus!: MenuRefDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export interface GroupRow {
  group: StaffGroupEntity;
  memberCount: number;
  menus: MenuRefDto[];
}

export function mapGroup(row: GroupRow): GroupDto {
  const g = row.group;
  return {
    id: g.id,
    name: g.name,
    detail: g.detail,
    status: g.status,
    memberCount: row.memberCount,
    menus: row.menus,
    createdAt: g.createdAt.toISOString(),
    updatedAt: g.updatedAt.toISOString(),
  };
}
