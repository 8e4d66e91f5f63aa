import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  AuditWorkOrderCommand,
  CloseWorkOrderCommand,
  CreateWorkOrderCommand,
  EvaluateWorkOrderCommand,
  HandleWorkOrderCommand,
  InterveneWorkOrderCommand,
  LaunchWorkOrderCommand,
  ListWorkOrdersCommand,
  SaveWorkOrderCategoryCommand,
  SaveWorkOrderTypeCommand,
} from '@app/contracts';
import { PageQueryDto } from '@app/common';

/** `taskId` is seed 004's (创建工单 names the task of the instance it binds): the platform answers `openTasks`. */
export class CreateWorkOrderBodyDto extends OmitType(CreateWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'taskId',
] as const) {}
export class LaunchWorkOrderBodyDto extends OmitType(LaunchWorkOrderCommand, [
  'actor',
  'idempotencyKey',
] as const) {}
export class HandleWorkOrderBodyDto extends OmitType(HandleWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'id',
] as const) {}
export class CloseWorkOrderBodyDto extends OmitType(CloseWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'id',
] as const) {}
export class EvaluateWorkOrderBodyDto extends OmitType(EvaluateWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'id',
] as const) {}
export class InterveneWorkOrderBodyDto extends OmitType(InterveneWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'id',
] as const) {}

/** Seed 002 流程审批: `taskDeptManager` names departments (comma list or array); their managers get a task each. */
export class AuditWorkOrderBodyDto extends OmitType(AuditWorkOrderCommand, [
  'actor',
  'idempotencyKey',
  'id',
  'managerIds',
] as const) {
  @ApiPropertyOptional({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: '客服部,技术部',
    description: 'Department names, comma-separated (or an array)',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(/[,，]/)
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  taskDeptManager?: string[];
}

export class ListWorkOrdersQueryDto extends IntersectionType(
  OmitType(ListWorkOrdersCommand, ['actor', 'pageNum', 'pageSize', 'formFilters', 'formFields'] as const),
  PageQueryDto,
) {}

export class ClassificationPageQueryDto extends PageQueryDto {}

export class SaveWorkOrderTypeBodyDto extends OmitType(SaveWorkOrderTypeCommand, ['actor', 'id'] as const) {}
export class SaveWorkOrderCategoryBodyDto extends OmitType(SaveWorkOrderCategoryCommand, [
  'actor',
  'id',
] as const) {}

export class WorkOrderIdParam {
  @ApiProperty({ example: '42' }) @IsString() @Matches(/^\d{1,18}$/) id!: string;
}
