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

  @ApiPropertyOptional({ description: 'ignored: the caller is the token (A-45)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userName?: string;

  @ApiPropertyOptional({ description: 'ignored: the caller is the token (A-45)' })
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
export class DiscardDto extends FlowRefDto {
  @ApiPropertyOptional({ description: 'ignored: authorization is the caller’s (A-45)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userName?: string;
}

/** `/message/taskNotify` (S002-09, A-52). */
export class TaskNotifyDto {
  @ApiPropertyOptional({ example: 'RW202107280', description: '任务编号 (a work-order number)' })
  @EmptyAsUndefined()
  @IsString({ message: 'taskNo is required' })
  @Matches(/^[\w.-]{1,64}$/, { message: 'taskNo must be 1-64 characters of [A-Za-z0-9_.-]' })
  taskNo!: string;
}
