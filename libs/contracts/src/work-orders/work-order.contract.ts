import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { EachItem } from '../commands/each-item';
import { ToInt } from '../commands/to-int';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ActorCommand, IdempotentCommand, PagedCommand } from '../workflow/common';
import { ATTACHMENT_URL_MAX_LENGTH, attachmentRefProblem, MAX_ATTACHMENT_URLS } from './attachment-refs';
import {
  FORM_FIELD_KEY,
  FormFieldFilter,
  MAX_FORM_FIELD_FILTERS,
  MAX_FORM_FIELDS_SHOWN,
} from '../workflow/form-field.contract';

export const WORK_ORDER_STATUSES = ['draft', 'running', 'rejected', 'completed', 'discarded'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
const ID = /^\d{1,18}$/;
const ELEMENT = /^[A-Za-z_][\w.-]{0,254}$/;

/** Create a work order (seed 004 创建工单): its fields and form data; it starts its process unless `draft`. */
export class CreateWorkOrderCommand extends IdempotentCommand {
  @ApiProperty({ example: '空调不制冷', maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title!: string;
  @ApiProperty({ example: 'oa', description: '所属系统 systemId' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  systemId!: string;
  @ApiPropertyOptional({ description: '项目 projectId' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  projectId?: string;
  @ApiPropertyOptional({ description: 'App work-order type id (workorderId)' })
  @IsOptional()
  @IsString()
  @Matches(ID)
  typeId?: string;
  @ApiPropertyOptional({ description: 'Synthesis category id' })
  @IsOptional()
  @IsString()
  @Matches(ID)
  categoryId?: string;
  @ApiPropertyOptional({
    description: 'Process key (processId); default: the one bound to the type or category',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  definitionKey?: string;
  @ApiPropertyOptional({ description: '工单来源' }) @IsOptional() @IsString() @MaxLength(64) source?: string;
  @ApiPropertyOptional({ description: '是否有偿' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  compensation?: string;
  @ApiPropertyOptional({ description: '房号' }) @IsOptional() @IsString() @MaxLength(64) roomNumber?: string;
  @ApiPropertyOptional({ maxLength: 4000 }) @IsOptional() @IsString() @MaxLength(4000) description?: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', maxLength: ATTACHMENT_URL_MAX_LENGTH },
    maxItems: MAX_ATTACHMENT_URLS,
    description:
      '附件地址: absolute http(s) URLs or references to attachments you can see (`/api/v1/attachments/{id}/content`); another is 4101 naming its index',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENT_URLS)
  @EachItem('attachmentRef', attachmentRefProblem)
  attachmentUrls?: string[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Form data (params), checked against the start form',
  })
  @IsOptional()
  @IsObject()
  formData?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Save only (seed 002: the saved form data a later launch refers to)' })
  @IsOptional()
  @IsBoolean()
  draft?: boolean;
  @ApiPropertyOptional({
    description:
      'Bind the order to this running instance (seed 004 procInstId) instead of starting one: the caller started it and no order has it yet',
  })
  @IsOptional()
  @IsString()
  @Matches(ID)
  instanceId?: string;
  @ApiPropertyOptional({
    description:
      'With instanceId (seed 004 taskId): the open task of that instance the caller is at; another is 404, a closed one 4090',
  })
  @IsOptional()
  @IsString()
  @Matches(ID, { message: 'taskId must be a task id' })
  taskId?: string;
}

/** Seed 002 发起流程: start the process of a saved work order (dataId) by flow code, optionally with its own serial number. */
export class LaunchWorkOrderCommand extends IdempotentCommand {
  @ApiProperty({ example: '7', description: 'dataId: the saved (draft) work order' })
  @IsString()
  @Matches(ID)
  dataId!: string;
  @ApiPropertyOptional({ example: 'ztbxx01', description: 'flowCode: process key (default: the draft’s)' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  flowCode?: string;
  @ApiPropertyOptional({
    example: 'ztbxx_abc001',
    description: 'flowRunningNumber; generated ({code}_{yyyyMM}_{seq}) when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.-]{1,64}$/)
  flowRunningNumber?: string;
}

export class ListWorkOrdersCommand extends PagedCommand {
  @ApiPropertyOptional({
    enum: ['mine', 'handled', 'all'],
    default: 'all',
    description: 'mine: created by me; all: every one I may see',
  })
  @IsOptional()
  @IsIn(['mine', 'handled', 'all'])
  scope: 'mine' | 'handled' | 'all' = 'all';
  @ApiPropertyOptional({ enum: WORK_ORDER_STATUSES })
  @IsOptional()
  @IsIn(WORK_ORDER_STATUSES)
  status?: WorkOrderStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID) categoryId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(ID) typeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) systemId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) projectId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
  @ApiPropertyOptional({ description: 'The work order of this process instance' })
  @IsOptional()
  @IsString()
  @Matches(ID)
  instanceId?: string;
  @ApiPropertyOptional({ description: 'Number or title contains' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  keyword?: string;
  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601 or yyyy-MM-dd HH:mm:ss)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  createdFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) createdTo?: string;
  /** Conditions over the work order's form data, all of which must hold (parsed from `formField.*`). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FORM_FIELD_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => FormFieldFilter)
  formFilters?: FormFieldFilter[];
  /** Form fields to return with each row (`formValues`). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_FORM_FIELDS_SHOWN)
  @Matches(FORM_FIELD_KEY, { each: true })
  formFields?: string[];
}

export class WorkOrderRefCommand extends IdempotentCommand {
  @IsString() @Matches(ID) id!: string;
}

/** Handle (处理) the work order's open task: the data is checked against the task's form, then the task completes. */
export class HandleWorkOrderCommand extends WorkOrderRefCommand {
  @ApiProperty() @IsString() @Matches(ID) taskId!: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

/** Seed 002 流程审批: complete the current audit task; optionally jump to a node or open tasks for department managers. */
export class AuditWorkOrderCommand extends WorkOrderRefCommand {
  @ApiPropertyOptional({ description: 'Default: my open task of this work order' })
  @IsOptional()
  @IsString()
  @Matches(ID)
  taskId?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
  @ApiPropertyOptional({ description: 'nextNodeSeq: ignore the model and make this node the next one' })
  @IsOptional()
  @IsString()
  @Matches(ELEMENT)
  nextNodeSeq?: string;
  /** Staff ids of the managers of the named departments, resolved by the gateway (the workflow app never reads core tables). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @Matches(ID, { each: true })
  managerIds?: string[];
}

export class CloseWorkOrderCommand extends WorkOrderRefCommand {
  @ApiProperty({ maxLength: 1000 }) @IsString() @MinLength(1) @MaxLength(1000) reason!: string;
}

export class EvaluateWorkOrderCommand extends WorkOrderRefCommand {
  @ApiProperty({ minimum: 1, maximum: 5 }) @ToInt() @IsInt() @Min(1) @Max(5) score!: number;
  @ApiPropertyOptional({ maxLength: 1000 }) @IsOptional() @IsString() @MaxLength(1000) comment?: string;
}

/** Admin intervention (工单干预): reassign a task, terminate the process, or jump to a node. */
export class InterveneWorkOrderCommand extends WorkOrderRefCommand {
  @ApiProperty({ enum: ['reassign', 'terminate', 'jump'] }) @IsIn(['reassign', 'terminate', 'jump']) action!:
    'reassign' | 'terminate' | 'jump';
  @ApiPropertyOptional()
  @ValidateIf((o: InterveneWorkOrderCommand) => o.action === 'reassign')
  @IsString()
  @Matches(ID)
  taskId?: string;
  @ApiPropertyOptional()
  @ValidateIf((o: InterveneWorkOrderCommand) => o.action === 'reassign')
  @IsString()
  @Matches(ID)
  userId?: string;
  @ApiPropertyOptional()
  @ValidateIf((o: InterveneWorkOrderCommand) => o.action === 'jump')
  @IsString()
  @Matches(ELEMENT)
  targetElementId?: string;
  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @MaxLength(2000) comment?: string;
}

export class SaveWorkOrderTypeCommand extends ActorCommand {
  @IsOptional() @IsString() @Matches(ID) id?: string;
  @ApiProperty({ example: '统一工单中心' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) appCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) iconUrl?: string;
  @ApiPropertyOptional() @IsOptional() @ToInt() @IsInt() @Min(0) @Max(100000) sortOrder?: number;
}

export class SaveWorkOrderCategoryCommand extends ActorCommand {
  @IsOptional() @IsString() @Matches(ID) id?: string;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @Matches(ID) parentId?:
    string | null;
  @ApiProperty({ example: '33-工单-综合' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) description?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
  @ApiPropertyOptional() @IsOptional() @ToInt() @IsInt() @Min(0) @Max(100000) sortOrder?: number;
}

export class ClassificationRefCommand extends ActorCommand {
  @IsString() @Matches(ID) id!: string;
}

export class ListClassificationCommand extends PagedCommand {}

export class DeployTemplateCommand extends ActorCommand {
  @IsString() @Matches(/^[A-Za-z0-9_-]{1,64}$/) key!: string;
}

export class WorkOrderTypeReply {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) appCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) definitionKey!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) iconUrl!: string | null;
  @ApiProperty() sortOrder!: number;
}

export class WorkOrderCategoryReply {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) parentId!: string | null;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) definitionKey!: string | null;
  @ApiProperty() sortOrder!: number;
  @ApiProperty({ type: () => [WorkOrderCategoryReply] }) children!: WorkOrderCategoryReply[];
}

export class WorkOrderReply {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'opportunityReport_202611_0001' }) number!: string;
  @ApiProperty() title!: string;
  @ApiProperty() systemId!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) projectId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) typeId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) categoryId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) source!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) compensation!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) roomNumber!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ type: [String] }) attachmentUrls!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) formData!: Record<string, unknown>;
  @ApiProperty() definitionKey!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) instanceId!: string | null;
  @ApiProperty({ enum: WORK_ORDER_STATUSES }) status!: WorkOrderStatus;
  @ApiPropertyOptional({ nullable: true, type: [String], description: 'Names of the open nodes' })
  currentNodes!: string[];
  @ApiPropertyOptional({ nullable: true, type: Number }) evaluationScore!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) evaluation!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closeReason!: string | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The form fields named by `formFields` (lists only; absent ones are null)',
  })
  formValues?: Record<string, unknown>;
}

export class TimelineEntryReply {
  @ApiProperty({ enum: ['created', 'node', 'comment', 'closed', 'evaluated'] }) kind!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) endedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) elementId!: string | null;
  @ApiProperty() text!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) actorId!: string | null;
}

export class WorkOrderDetailReply extends WorkOrderReply {
  @ApiProperty({ type: [TimelineEntryReply] }) timeline!: TimelineEntryReply[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Open tasks' }) openTasks!: {
    id: string;
    elementId: string;
    name: string;
    assigneeId: string | null;
    candidates: string[];
    formKey: string | null;
    dueAt: string | null;
  }[];
}

export class PrintReply {
  @ApiProperty({ description: 'A complete HTML document ready to print' }) html!: string;
}

export class TemplateReply {
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) formKeys!: string[];
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Newest deployed version' })
  deployedVersion!: number | null;
}
