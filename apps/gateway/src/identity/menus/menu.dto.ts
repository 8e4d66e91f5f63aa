import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ALL_PERMISSIONS_GRANT, PERMISSION_CODES } from '@app/auth';
import type { MenuEntity } from '@app/database';

const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);
export const GRANTABLE = [...PERMISSION_CODES, ALL_PERMISSIONS_GRANT];

class MenuFieldsDto {
  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String, description: '菜单项说明' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  content?: string | null;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String, description: '菜单项备注' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;

  @ApiPropertyOptional({
    type: [String],
    enum: GRANTABLE,
    description: 'Permissions that holding this menu grants (never more than you hold)',
  })
  @Present()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIn(GRANTABLE, { each: true })
  permissions?: string[];

  @ApiPropertyOptional({ default: 0 })
  @Present()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  sortOrder?: number;
}

export class CreateMenuDto extends MenuFieldsDto {
  @ApiProperty({ maxLength: 64, example: '客户管理', description: '菜单项显示的名字' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;
}

export class UpdateMenuDto extends MenuFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;
}

export class MenuDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) content!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: [String] }) permissions!: string[];
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export function mapMenu(menu: MenuEntity): MenuDto {
  return {
    id: menu.id,
    name: menu.name,
    content: menu.content,
    note: menu.note,
    permissions: menu.permissions,
    sortOrder: menu.sortOrder,
    createdAt: menu.createdAt.toISOString(),
    updatedAt: menu.updatedAt.toISOString(),
  };
}
