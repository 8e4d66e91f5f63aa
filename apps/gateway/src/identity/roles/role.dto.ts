import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { DATA_SCOPES, type DataScope } from '@app/contracts';
import type { RoleEntity } from '@app/database';
import { GRANTABLE } from '../menus/menu.dto';

const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);

class RoleFieldsDto {
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  description?: string | null;
}

export class CreateRoleDto extends RoleFieldsDto {
  @ApiProperty({ example: 'sales_manager', description: 'Stable code: lower case, digits, _' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,63}$/)
  code!: string;

  @ApiProperty({ maxLength: 64, example: '销售经理' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;

  @ApiProperty({ type: [String], enum: GRANTABLE, description: 'Never more than you hold' })
  @IsArray()
  @ArrayMaxSize(200)
  @IsIn(GRANTABLE, { each: true })
  permissions!: string[];

  @ApiProperty({ enum: DATA_SCOPES, description: 'Whose records holders see; never wider than yours' })
  @IsIn(DATA_SCOPES)
  dataScope!: DataScope;
}

export class UpdateRoleDto extends RoleFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ type: [String], enum: GRANTABLE })
  @Present()
  @IsArray()
  @ArrayMaxSize(200)
  @IsIn(GRANTABLE, { each: true })
  permissions?: string[];

  @ApiPropertyOptional({ enum: DATA_SCOPES })
  @Present()
  @IsIn(DATA_SCOPES)
  dataScope?: DataScope;
}

export class RoleDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [String] }) permissions!: string[];
  @ApiProperty({ enum: DATA_SCOPES }) dataScope!: DataScope;
  @ApiProperty({ description: 'Seeded by the platform: cannot be deleted (super_admin cannot be edited)' })
  isSystem!: boolean;
  @ApiProperty({ description: 'Members holding it' }) staffCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function mapRole(role: RoleEntity, staffCount: number): RoleDto {
  return {
    id: role.id,
    code: role.code,
    name: role.name,
    description: role.description,
    permissions: role.permissions,
    dataScope: role.dataScope,
    isSystem: role.isSystem,
    staffCount,
    createdAt: role.createdAt.toISOString(),
    updatedAt: role.updatedAt.toISOString(),
  };
}
