import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import type { DepartmentEntity } from '@app/database';
import { IsBigintId } from '../../shared/dto-helpers';
import { RefDto } from '../staff/staff.dto';

const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);

class DepartmentFieldsDto {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Parent department; null = a root' })
  @IsOptional()
  @IsBigintId()
  parentId?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Staff id of the manager (负责人)' })
  @IsOptional()
  @IsBigintId()
  managerId?: string | null;

  @ApiPropertyOptional({ default: 0 })
  @Present()
  @IsInt()
  @Min(-1_000_000)
  @Max(1_000_000)
  sortOrder?: number;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;
}

export class CreateDepartmentDto extends DepartmentFieldsDto {
  @ApiProperty({ maxLength: 64, example: '市场部' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;
}

export class UpdateDepartmentDto extends DepartmentFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;
}

export class DepartmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) parentId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: RefDto, description: 'The manager (id, real name)' })
  manager!: RefDto | null;
  @ApiProperty() sortOrder!: number;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ description: 'Members not deleted' }) staffCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DepartmentNodeDto extends DepartmentDto {
  @ApiProperty({ type: () => [DepartmentNodeDto] }) children!: DepartmentNodeDto[];
}

export interface DepartmentRow {
  department: DepartmentEntity;
  managerName: string | null;
  staffCount: number;
}

export function mapDepartment(row: DepartmentRow): DepartmentDto {
  const d = row.department;
  return {
    id: d.id,
    name: d.name,
    parentId: d.parentId,
    manager: d.managerId ? { id: d.managerId, name: row.managerName ?? '' } : null,
    sortOrder: d.sortOrder,
    note: d.note,
    staffCount: row.staffCount,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/** Nests a flat list (ordered by sort order, then id) into the tree. */
export function toTree(rows: DepartmentRow[]): DepartmentNodeDto[] {
  const nodes = new Map<string, DepartmentNodeDto>();
  for (const row of rows) nodes.set(row.department.id, { ...mapDepartment(row), children: [] });
  const roots: DepartmentNodeDto[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
