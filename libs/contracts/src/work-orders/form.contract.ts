import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min, ValidateIf } from 'class-validator';
import { ActorCommand, PagedCommand } from '../workflow/common';

export const FORM_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,255}$/;

/** Saves a new version of a form-js schema under its key (the first save makes version 1). */
export class SaveFormCommand extends ActorCommand {
  @ApiProperty({ example: 'opportunity-report', description: 'The key processes bind with formKey' })
  @IsString()
  @Matches(FORM_KEY_PATTERN)
  formKey!: string;

  @ApiProperty({ example: '商机上报' }) @IsString() @MaxLength(255) name!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'form-js schema (bpmn.io): { type: "default", components: [...] }',
  })
  @IsObject()
  schema!: Record<string, unknown>;
}

/**
 * Checks data against a stored form (its newest version, or `version`) and stores nothing: what a
 * form bound to a data model submits is checked here before it becomes a record.
 */
export class CheckFormDataCommand extends ActorCommand {
  @IsString() @Matches(FORM_KEY_PATTERN) formKey!: string;
  @IsOptional() @IsInt() @Min(1) version?: number;
  @IsOptional() @IsObject() data?: Record<string, unknown>;
}

export class FormDataCheckReply {
  formKey!: string;
  version!: number;
  /** The form's input keys (dynamic lists by their path). */
  keys!: string[];
  /** One per failing field, named by the form key (rows of a list as `key[i].sub`). */
  errors!: { field: string; reason: string }[];
  /** The submitted data restricted to the form's keys. */
  data!: Record<string, unknown>;
}

export class ListFormsCommand extends PagedCommand {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) keyword?: string;
}

export class GetFormCommand extends ActorCommand {
  @IsString() @Matches(FORM_KEY_PATTERN) formKey!: string;
  @IsOptional() @IsInt() @Min(1) version?: number;
}

/** "Get process form" (S004-34/35): the start form of a definition, or for an instance its current form and data. */
export class ProcessFormCommand extends ActorCommand {
  @ApiPropertyOptional({ description: 'Definition id (or definitionKey: newest active version)' })
  @ValidateIf((o: ProcessFormCommand) => !o.definitionKey && !o.instanceId)
  @IsString()
  @Matches(/^\d{1,18}$/)
  definitionId?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;

  @ApiPropertyOptional({ description: 'A running instance: its current data and the form of its open task' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/)
  instanceId?: string;

  @ApiPropertyOptional({ description: 'This task’s form (default: the first open task of the instance)' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}$/)
  taskId?: string;
}

export class FormReply {
  @ApiProperty() id!: string;
  @ApiProperty() formKey!: string;
  @ApiProperty() version!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) schema!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ProcessFormReply {
  @ApiProperty() definitionId!: string;
  @ApiProperty() definitionKey!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The element whose form this is' })
  elementId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) formKey!: string | null;
  @ApiPropertyOptional({ nullable: true, type: FormReply }) form!: FormReply | null;
  @ApiPropertyOptional({ nullable: true, type: String }) instanceId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) taskId!: string | null;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Current data of the instance',
  })
  data!: Record<string, unknown> | null;
}
