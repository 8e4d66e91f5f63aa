import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ANY_JSON_VALUE, NULLABLE_ANY_JSON_VALUE, PageQueryDto } from '@app/common';
import { FIELD_KEY, FIELD_TYPES, type FieldType, MODEL_KEY } from './schema/field-types';

const KEY_MESSAGE = { message: 'must start with a lower-case letter, then letters, digits or _ (≤ 63)' };

export class ChoiceDto {
  @ApiProperty({ example: 'open' }) @IsString() @MinLength(1) @MaxLength(100) value!: string;
  @ApiProperty({ example: '待处理' }) @IsString() @MinLength(1) @MaxLength(100) label!: string;
  @ApiPropertyOptional({ example: '#409eff' }) @IsOptional() @IsString() @MaxLength(32) color?: string;
}

export class FieldOptionsDto {
  @ApiPropertyOptional({ description: 'text / long_text: at most this many characters' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxLength?: number;
  @ApiPropertyOptional({ description: 'number / decimal: smallest value' })
  @IsOptional()
  @IsNumber()
  min?: number;
  @ApiPropertyOptional({ description: 'number / decimal: largest value' })
  @IsOptional()
  @IsNumber()
  max?: number;
  @ApiPropertyOptional({ description: 'number: whole numbers only' })
  @IsOptional()
  @IsBoolean()
  integer?: boolean;
  @ApiPropertyOptional({ description: 'decimal: digits after the point (default 2)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  scale?: number;
  @ApiPropertyOptional({ type: [ChoiceDto], description: 'single_select / multi_select' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ChoiceDto)
  choices?: ChoiceDto[];
  @ApiPropertyOptional({ description: 'relation: key of the target model' })
  @IsOptional()
  @IsString()
  @Matches(MODEL_KEY, KEY_MESSAGE)
  model?: string;
  @ApiPropertyOptional({ description: 'attachment: at most this many files (default 20)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxFiles?: number;
}

export class FieldInputDto {
  @ApiProperty({ example: 'amount', description: 'API name; renamable later' })
  @IsString()
  @Matches(FIELD_KEY, KEY_MESSAGE)
  key!: string;
  @ApiProperty({ example: '金额' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: FIELD_TYPES }) @IsIn(FIELD_TYPES) type!: FieldType;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional({ default: false, description: 'one record per value (a unique index)' })
  @IsOptional()
  @IsBoolean()
  unique?: boolean;
  @ApiPropertyOptional({ default: false, description: 'a btree index for fast filters and sorts' })
  @IsOptional()
  @IsBoolean()
  indexed?: boolean;
  @ApiPropertyOptional({
    ...ANY_JSON_VALUE,
    description: 'value on create when none is given (checked like a value)',
  })
  @IsOptional()
  default?: unknown;
  @ApiPropertyOptional({ type: FieldOptionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => FieldOptionsDto)
  options?: FieldOptionsDto;
}

export class FlowBindingDto {
  @ApiProperty({ example: 'ztbxx01', description: 'process key (seed 002 flowCode)' })
  @IsString()
  @Matches(/^[A-Za-z_][\w.-]{0,254}$/)
  flowCode!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { subject: 'title', money: 'amount' },
    description: 'process variable → field key; empty: every field under its key',
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, string>;
  @ApiPropertyOptional({ description: 'field key whose value titles the work order' })
  @IsOptional()
  @IsString()
  @Matches(FIELD_KEY, KEY_MESSAGE)
  title?: string;
}

export class FormBindingDto {
  @ApiProperty({ example: 'purchase-form', description: 'key of a stored form (`/api/v1/forms`)' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,255}$/)
  formKey!: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { subject: 'title', money: 'amount' },
    description:
      'form field key → model field key; omitted: every form key that is also a live field key of the model',
  })
  @IsOptional()
  @IsObject()
  fields?: Record<string, string>;
}

export class FormKeyParamDto {
  @ApiProperty({ example: 'purchase-form' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,255}$/, { message: 'formKey must be a form key' })
  formKey!: string;
}

export class FormSubmitDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'what the form-js form submits: checked against the stored form, then mapped to fields',
  })
  @IsObject()
  data!: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'update this record (in your data scope) instead of creating one' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'recordId must be a record id' })
  recordId?: string;
  @ApiPropertyOptional({ description: 'with recordId: the record version read (stale → 4090)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class CreateModelDto {
  @ApiProperty({ example: 'purchase_request', description: 'immutable; used in URLs' })
  @IsString()
  @Matches(MODEL_KEY, {
    message: 'key must be lower-case letters, digits and _ (≤ 63), starting with a letter',
  })
  key!: string;
  @ApiProperty({ example: '采购申请' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiProperty({ type: [FieldInputDto] })
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FieldInputDto)
  fields!: FieldInputDto[];
  @ApiPropertyOptional({ type: [FlowBindingDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FlowBindingDto)
  flows?: FlowBindingDto[];
}

export class VersionedDto {
  @ApiPropertyOptional({ description: 'the model version this change was made on (stale → 4090)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class UpdateModelDto extends VersionedDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiPropertyOptional({ type: [FlowBindingDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FlowBindingDto)
  flows?: FlowBindingDto[];
  @ApiPropertyOptional({
    type: [FormBindingDto],
    description: 'stored forms whose submissions write records of this model (replaces the list)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => FormBindingDto)
  forms?: FormBindingDto[];
}

export class AddFieldDto extends VersionedDto {
  @ApiProperty({ type: FieldInputDto })
  @IsObject()
  @ValidateNested()
  @Type(() => FieldInputDto)
  field!: FieldInputDto;
}

/** Everything of a field but its type (a type change would lose data: add a new field instead). */
export class ChangeFieldDto extends VersionedDto {
  @ApiPropertyOptional({ description: 'rename the API key (values stay: they are stored by field id)' })
  @IsOptional()
  @IsString()
  @Matches(FIELD_KEY, KEY_MESSAGE)
  key?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MinLength(1) @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() required?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() unique?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() indexed?: boolean;
  @ApiPropertyOptional({
    description: 'true: read-only and hidden from forms, values kept; false: live again',
  })
  @IsOptional()
  @IsBoolean()
  deprecated?: boolean;
  @ApiPropertyOptional({ ...NULLABLE_ANY_JSON_VALUE, description: 'null removes the default' })
  @IsOptional()
  default?: unknown;
  @ApiPropertyOptional({ type: FieldOptionsDto, description: 'replaces the options (e.g. the choices)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FieldOptionsDto)
  options?: FieldOptionsDto;
}

export class FieldDto {
  @ApiProperty({ example: 'f3', description: 'storage id (stable across renames)' }) id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: FIELD_TYPES }) type!: string;
  @ApiProperty() required!: boolean;
  @ApiProperty() unique!: boolean;
  @ApiProperty() indexed!: boolean;
  @ApiProperty() deprecated!: boolean;
  @ApiPropertyOptional(ANY_JSON_VALUE) default?: unknown;
  @ApiPropertyOptional({ type: FieldOptionsDto }) options?: FieldOptionsDto;
}

export class FlowBindingReplyDto {
  @ApiProperty() flowCode!: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) variables!: Record<
    string,
    string
  >;
  @ApiPropertyOptional() title?: string;
}

export class FormBindingReplyDto {
  @ApiProperty() formKey!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'form field key → model field key',
  })
  fields!: Record<string, string>;
}

export class ModelDto {
  @ApiProperty() id!: string;
  @ApiProperty() key!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [FieldDto] }) fields!: FieldDto[];
  @ApiProperty({ type: [FlowBindingReplyDto] }) flows!: FlowBindingReplyDto[];
  @ApiProperty({ type: [FormBindingReplyDto] }) forms!: FormBindingReplyDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ModelVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { op: 'field_added', field: 'amount' },
  })
  change!: Record<string, unknown>;
  @ApiProperty({ type: [FieldDto] }) fields!: FieldDto[];
  @ApiProperty() actorId!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class ModelListQueryDto extends PageQueryDto {}

// ---------------------------------------------------------------- records

export class RecordValuesDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { title: '采购笔记本', amount: '12.50', status: 'open' },
    description: 'field key → value; checked per field by the model (4101 names values.<key>)',
  })
  @IsObject()
  values!: Record<string, unknown>;
}

export class UpdateRecordDto extends RecordValuesDto {
  @ApiPropertyOptional({ description: 'the record version read (stale → 4090)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class RecordDto {
  @ApiProperty() id!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) values!: Record<string, unknown>;
  @ApiProperty() creatorId!: string;
  @ApiProperty({ nullable: true, type: String }) creatorName!: string | null;
  @ApiProperty({ nullable: true, type: String }) departmentId!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) deletedAt!: string | null;
}

/** A list page whose total is counted up to a bound (RecordsService.list). */
export class RecordPageDto {
  @ApiProperty({
    description:
      'matches, exact up to offset + 6 × pageSize (this page and the 5 after it); when there are more, this bound and totalCapped is true',
  })
  total!: number;
  @ApiProperty({
    description: 'true: there are more matches than total (later pages still load; follow hasMore)',
  })
  totalCapped!: boolean;
  @ApiProperty({ description: 'true: a next page exists' }) hasMore!: boolean;
  @ApiProperty() pageNum!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty({ type: [RecordDto] }) rows!: RecordDto[];
}

export class RecordListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'a saved view: its filter, sorts and group-by apply' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9]\d{0,18}$/, { message: 'view must be a view id' })
  view?: string;
  @ApiPropertyOptional({
    description:
      'JSON filter group, ANDed with the view’s: {"op":"and","conditions":[{"field":"amount","operator":"gte","value":10}]}',
  })
  @IsOptional()
  @IsString()
  @MaxLength(8000)
  filter?: string;
  @ApiPropertyOptional({
    example: '-amount,title',
    description: 'sorts (replace the view’s); - for descending',
  })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  sort?: string;
  @ApiPropertyOptional({
    enum: ['live', 'deleted'],
    default: 'live',
    description: 'deleted: the recycle bin',
  })
  @IsOptional()
  @IsIn(['live', 'deleted'])
  status: 'live' | 'deleted' = 'live';
}

export class GroupCountDto {
  @ApiProperty({ nullable: true, type: String, description: 'the group value (null: empty)' }) value!:
    string | null;
  @ApiProperty() count!: number;
}

// ---------------------------------------------------------------- views

export class ViewColumnDto {
  @ApiProperty({ example: 'amount' }) @IsString() @MaxLength(64) field!: string;
  @ApiPropertyOptional({ example: 160 }) @IsOptional() @IsInt() @Min(20) @Max(2000) width?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() visible?: boolean;
}

export class ViewSortDto {
  @ApiProperty({ example: 'amount' }) @IsString() @MaxLength(64) field!: string;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  direction?: 'asc' | 'desc';
}

export class SaveViewDto {
  @ApiProperty({ example: '待处理的大额申请' }) @IsString() @MinLength(1) @MaxLength(100) name!: string;
  @ApiProperty({ enum: ['table', 'kanban'] }) @IsIn(['table', 'kanban']) type!: 'table' | 'kanban';
  @ApiPropertyOptional({
    default: false,
    description: 'shared with everyone who reads the model (datamodel:design)',
  })
  @IsOptional()
  @IsBoolean()
  shared?: boolean;
  @ApiPropertyOptional({ type: [ViewColumnDto], description: 'visible columns, widths and order' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ViewColumnDto)
  columns?: ViewColumnDto[];
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'filter group { op: and|or, conditions: [{ field, operator, value } | group] }; operators per field type',
  })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown>;
  @ApiPropertyOptional({ type: [ViewSortDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5)
  @ValidateNested({ each: true })
  @Type(() => ViewSortDto)
  sorts?: ViewSortDto[];
  @ApiPropertyOptional({
    description: 'group-by field (kanban: its lanes); single_select, boolean, member, department, relation',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  groupBy?: string;
}

export class ViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() model!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['table', 'kanban'] }) type!: string;
  @ApiProperty() shared!: boolean;
  @ApiProperty() ownerId!: string;
  @ApiProperty({ type: [ViewColumnDto] }) columns!: ViewColumnDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true }) filter!: unknown;
  @ApiProperty({ type: [ViewSortDto] }) sorts!: ViewSortDto[];
  @ApiProperty({ nullable: true, type: String }) groupBy!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

// ---------------------------------------------------------------- import, export, flows

export class RecordImportDto {
  @ApiProperty({ maxLength: 900_000, description: 'CSV with a header row of field keys (or field names)' })
  @IsString()
  @MinLength(1)
  @MaxLength(900_000)
  csv!: string;
  @ApiPropertyOptional({
    default: true,
    description: 'true: only check and report; false: apply (all rows or none)',
  })
  @IsOptional()
  @IsBoolean()
  dryRun: boolean = true;
}

export class RecordImportErrorDto {
  @ApiProperty({ description: '1-based data row (the header is line 1)' }) row!: number;
  @ApiProperty() field!: string;
  @ApiProperty() reason!: string;
}

export class RecordImportReplyDto {
  @ApiProperty() id!: string;
  @ApiProperty() model!: string;
  @ApiProperty({ enum: ['dry_run', 'applied', 'undone'] }) status!: string;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ description: 'rows that create (dry run: would create) a record' }) created!: number;
  @ApiProperty({ type: [RecordImportErrorDto] }) errors!: RecordImportErrorDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) undoneAt!: string | null;
}

export class ExportQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(/^[1-9]\d{0,18}$/) view?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(8000) filter?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) sort?: string;
}

export class StartFlowDto {
  @ApiProperty({
    example: 'ztbxx01',
    description: 'process key; the model’s binding of it maps the variables',
  })
  @IsString()
  @Matches(/^[A-Za-z_][\w.-]{0,254}$/)
  flowCode!: string;
  @ApiPropertyOptional({ enum: ['work_order', 'process'], default: 'work_order' })
  @IsOptional()
  @IsIn(['work_order', 'process'])
  kind: 'work_order' | 'process' = 'work_order';
  @ApiPropertyOptional({
    description: 'work order serial (seed 002 flowRunningNumber); generated when absent',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.-]{1,64}$/)
  flowRunningNumber?: string;
}

export class StartedFlowDto {
  @ApiProperty() recordId!: string;
  @ApiProperty() flowCode!: string;
  @ApiProperty({ nullable: true, type: String }) workOrderId!: string | null;
  @ApiProperty({ nullable: true, type: String }) number!: string | null;
  @ApiProperty({ nullable: true, type: String }) instanceId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) variables!: Record<string, unknown>;
}
