import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { ANY_JSON_VALUE } from '@app/common';
import { ELEMENT_ID_PATTERN, USER_REF_PATTERN } from '@app/contracts';
import { ToInt } from '../legacy-query';

/** The seed's clients send every field of their body, unused ids as `""`: empty = absent. */
const EmptyAsAbsent = () => Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value));

/** The list query of `/workflow/process/*` (seed 004; every filter accepted on every list, A-64). */
export class LegacyListQueryDto {
  @ApiProperty({ example: 1 }) @ToInt() @IsInt() @Min(1) pageNum: number = 1;
  @ApiProperty({ example: 10 }) @ToInt() @IsInt() @Min(1) @Max(200) pageSize: number = 10;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) category?: string;
  @ApiPropertyOptional({ example: '2025-01-23 00:00:00' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  proStartBeginTime?: string;
  @ApiPropertyOptional({ example: '2025-01-23 23:59:59' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  proStartEndTime?: string;
}

/** `POST /workflow/process/start/` body (A-13: `processId` or the example's `processDefId`; an id or a key). */
export class LegacyStartDto {
  @ApiPropertyOptional({ description: '流程定义ID (a definition id or a process key)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processId?: string;

  @ApiPropertyOptional({ description: 'Alias of processId used by the seed example' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processDefId?: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: '表单信息' })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

/** The TaskBo every `/workflow/task/*` call sends (all fields optional in the seed, A-14). */
export class LegacyTaskBoDto {
  @ApiPropertyOptional()
  @EmptyAsAbsent() // the TaskBo template sends every field: stopProcess / delete by procInsId carry taskId ""
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'taskId must be a task id' })
  taskId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) taskName?: string;
  @ApiPropertyOptional({
    description: 'delegate / transfer: the other user; otherwise ignored (the caller is the token)',
  })
  @IsOptional()
  @IsString()
  @ValidateIf((_, value) => value !== '') // legacy clients send '' for "none"
  @Matches(USER_REF_PATTERN, { message: 'userId must be a user id' })
  userId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @ApiPropertyOptional()
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'procInsId must be an instance id' })
  procInsId?: string;
  @ApiPropertyOptional({ description: 'return: the target node (BPMN element id)' })
  @IsOptional()
  @IsString()
  @ValidateIf((_, value) => value !== '')
  @Matches(ELEMENT_ID_PATTERN, { message: 'targetKey must be a BPMN element id' })
  targetKey?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) assignee?: string;
  @ApiPropertyOptional() @IsOptional() @IsArray() @Type(() => Object) candidateUsers?: unknown[];
  @ApiPropertyOptional() @IsOptional() @IsArray() @Type(() => Object) candidateGroups?: unknown[];
  @ApiPropertyOptional({ description: '抄送: comma-separated user ids' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(/^\s*([\w.@-]{1,64}(\s*[,，]\s*[\w.@-]{1,64}){0,49})?\s*$/, {
    message: 'copyUserIds must be up to 50 comma-separated user ids',
  })
  copyUserIds?: string;
  @ApiPropertyOptional({ description: 'Next-node approvers: comma-separated user ids or accounts (A-83)' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  nextUserIds?: string;
}

/** `GET /workflow/process/getProcessForm` (A-69): both ids accepted; `procInsId` adds the saved values. */
export class LegacyProcessFormQueryDto {
  @ApiProperty({ description: '流程定义ID (definition id, Flowable-style key:version:uuid, or key)' })
  @IsString()
  @MaxLength(255)
  definitionId!: string;
  @ApiPropertyOptional({ description: '部署id (in Flowdesk the definition version id)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  deployId?: string;
  @ApiPropertyOptional({ description: '流程实例id' })
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'procInsId must be an instance id' })
  procInsId?: string;
}

/** `WorkOrder/app/list` and `synthesis/list`: pages named `pageNo` (the token may ride along, A-17). */
export class LegacyTypePageQueryDto {
  @ApiProperty({ example: 1 }) @ToInt() @IsInt() @Min(1) pageNo: number = 1;
  @ApiProperty({ example: 10 }) @ToInt() @IsInt() @Min(1) @Max(200) pageSize: number = 10;
  @ApiPropertyOptional({ description: 'token (the header is preferred; redacted from logs)' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  accessToken?: string;
}

/** `POST -userdefine/workorder/workorder` (A-16). Server-owned fields of the example are accepted and ignored. */
export class LegacyCreateWorkOrderDto {
  @ApiPropertyOptional({ description: '流程定义ID or key (default: the one bound to workorderId)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  processId?: string;
  @ApiPropertyOptional({
    description:
      'With procInstId: the open task of that instance (checked: 404 / 4090); ignored when this call starts the process',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  taskId?: string;
  @ApiPropertyOptional({ description: 'Bind the order to this instance the caller started' })
  @EmptyAsAbsent()
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'procInstId must be an instance id' })
  procInstId?: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: '表单参数' })
  @IsOptional()
  @IsObject()
  params?: Record<string, unknown>;
  @ApiProperty({ description: '所属系统' })
  @IsString({ message: 'systemId is required' })
  @IsNotEmpty({ message: 'systemId is required' })
  @MaxLength(100)
  systemId!: string;
  @ApiProperty({ description: '项目名称' }) @IsOptional() @IsString() @MaxLength(100) projectId?: string;
  @ApiPropertyOptional({ description: '工单(流程)类型: an app type or synthesis category id' })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{1,18})?$/, { message: 'workorderId must be a numeric id' })
  workorderId?: string;
  @ApiPropertyOptional({ description: '"1,<id>" app type, "2,<id>" synthesis category (front-end echo)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  workorderIdExtend?: string;
  @ApiProperty({ description: '工单标题' })
  @IsString({ message: 'title is required' })
  @IsNotEmpty({ message: 'title is required' })
  @MaxLength(200)
  title!: string;
  @ApiPropertyOptional({ description: '工单来源' }) @IsOptional() @IsString() @MaxLength(64) source?: string;
  @ApiPropertyOptional({ description: '是否有偿' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  compensation?: string;
  @ApiPropertyOptional({ description: '房号' }) @IsOptional() @IsString() @MaxLength(64) roomNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({
    description:
      '附件地址, comma-separated: absolute http(s) URLs or `/api/v1/attachments/{id}/content` of a file you can see; another is 4101 on `attachmentUrls[i]` (i counts the non-empty addresses from 0)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  attachmentUrls?: string;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'Ignored: set by the work order' })
  @IsOptional()
  workorderNumber?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'Ignored: follows the process' })
  @IsOptional()
  workorderStatus?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'Ignored: follows the process' })
  @IsOptional()
  processStatus?: unknown;
  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: 'Ignored: evaluate after completion' })
  @IsOptional()
  evaluate?: unknown;
}
