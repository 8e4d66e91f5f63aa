import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, plainToInstance } from 'class-transformer';
import { IsOptional, IsString, Matches, MaxLength, validateSync } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { flattenValidationErrors } from '@app/contracts';
import { AppException } from '@app/common';

const SERIAL = /^[\w.-]{1,64}$/;
const serialMessage = { message: 'flowRunningNumber must be 1-64 characters of [A-Za-z0-9_.-]' };
/** `''` means "not given" (the seed: "该参数为空时，系统自动生成流水号"). */
const EmptyAsUndefined = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && value.trim() === ''
      ? undefined
      : typeof value === 'string'
        ? value.trim()
        : value,
  );

/**
 * Seed 002 states no methods: every route takes its parameters from the query string, a form
 * body or a JSON body (the body wins), validated like any platform DTO (4101 naming the field).
 */
export const FlowParams = createParamDecorator((dto: new () => object, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<FastifyRequest>();
  const body =
    request.body && typeof request.body === 'object' && !Array.isArray(request.body) ? request.body : {};
  const merged = { ...(request.query as object), ...body };
  const instance = plainToInstance(dto, merged);
  const errors = validateSync(instance, {
    whitelist: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw AppException.invalid(flattenValidationErrors(errors));
  return instance;
});

/** 流水号: names the flow in every call after the launch. */
export class FlowRefDto {
  @ApiPropertyOptional({ example: 'ztbxx01_202108_0001', description: '流程流水号' })
  @EmptyAsUndefined()
  @IsString({ message: 'flowRunningNumber is required' })
  @Matches(SERIAL, serialMessage)
  flowRunningNumber!: string;

  @ApiPropertyOptional({
    example: 'admin',
    description:
      'the acting person’s account, for a trusted service caller (A-76); a person’s own token wins',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userName?: string;

  @ApiPropertyOptional({ example: 'RS001', description: 'the acting person’s employee number (A-76)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userCode?: string;
}

/** `/flow/launch` (S002-01, S002-02). */
export class LaunchDto {
  @ApiPropertyOptional({ example: 'ztbxx_abc001', description: '流程流水号; empty or absent: generated' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @Matches(SERIAL, serialMessage)
  flowRunningNumber?: string;

  @ApiPropertyOptional({ example: 'ztbxx01', description: '流程定义编码 (default: the saved data’s flow)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(255)
  flowCode?: string;

  @ApiPropertyOptional({ example: '5', description: '表单数据保存后的ID (the saved work order)' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString({ message: 'dataId is required' })
  @Matches(/^\d{1,18}$/, { message: 'dataId must be the id of saved form data' })
  dataId!: string;

  @ApiPropertyOptional({
    example: 'limingTestUser',
    description: 'the initiator’s account, for a trusted service caller (A-76); a person’s own token wins',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userName?: string;

  @ApiPropertyOptional({ example: 'RS001', description: 'the initiator’s employee number (A-76)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userCode?: string;

  @ApiPropertyOptional({ description: 'ignored (A-71)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  deptName?: string;
}

/** `/flow/onAudit` (S002-03 … S002-05, A-47, A-48). */
export class AuditDto extends FlowRefDto {
  @ApiPropertyOptional({
    example: '-1',
    description:
      'absent, empty or negative: follow the model; n > 0: the n-th user task of the model; else a node id',
  })
  @EmptyAsUndefined()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsOptional()
  @IsString()
  @Matches(/^(-?\d{1,6}|[A-Za-z_][\w.-]{0,254})$/, {
    message: 'nextNodeSeq must be a node position (number) or a node id',
  })
  nextNodeSeq?: string;

  @ApiPropertyOptional({ example: '客服部,技术部', description: 'department names, comma-separated' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  taskDeptManager?: string;

  @ApiPropertyOptional({ description: '审批意见' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

/** `/flow/discard` (S002-07). */
export class DiscardDto extends FlowRefDto {}

/** `/message/taskNotify` (S002-09, A-52). */
export class TaskNotifyDto {
  @ApiPropertyOptional({ example: 'RW202107280', description: '任务编号 (a work-order number)' })
  @EmptyAsUndefined()
  @IsString({ message: 'taskNo is required' })
  @Matches(/^[\w.-]{1,64}$/, { message: 'taskNo must be 1-64 characters of [A-Za-z0-9_.-]' })
  taskNo!: string;
}

/** `/dataSync/create|update` (S002-10, S002-11). */
export class DataSyncDto {
  @ApiPropertyOptional({
    example: 'SAL_SaleOrder',
    description: 'ERP中表单的id; the local table is ERP_{formId}',
  })
  @EmptyAsUndefined()
  @IsString({ message: 'formId is required' })
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,55}$/, {
    message: 'formId must be an ERP form id such as SAL_SaleOrder (letters, digits, _)',
  })
  formId!: string;
}

/** `/dingtalk/department/getTree`, `/dingtalk/user/getByDepartmentId` (S002-12, S002-13). */
export class DingTalkDepartmentRefDto {
  @ApiPropertyOptional({ example: '1', description: '部门id (the company root is 1)' })
  @EmptyAsUndefined()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString({ message: 'id is required' })
  @Matches(/^\d{1,15}$/, { message: 'id must be a DingTalk department id' })
  id!: string;
}

/** `/dingtalk/attendance/getByUserId` (S002-14). */
export class DingTalkAttendanceLegacyDto {
  @ApiPropertyOptional({ example: '01131805470926241241', description: '用户id' })
  @EmptyAsUndefined()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' ? String(value) : value))
  @IsString({ message: 'id is required' })
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id must be a DingTalk user id' })
  id!: string;

  @ApiPropertyOptional({ example: '2021-07-10', description: '开始时间 yyyy-MM-dd; default today' })
  @EmptyAsUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startTime must be a day (yyyy-MM-dd)' })
  startTime?: string;

  @ApiPropertyOptional({ description: '结束时间 yyyy-MM-dd; default today (A-79)' })
  @EmptyAsUndefined()
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endTime must be a day (yyyy-MM-dd)' })
  endTime?: string;
}
