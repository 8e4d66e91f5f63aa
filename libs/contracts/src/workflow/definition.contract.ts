import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ActorCommand, PagedCommand } from './common';

export class DeployDefinitionCommand extends ActorCommand {
  /** BPMN 2.0 XML as uploaded. */
  @IsString()
  @MaxLength(5_000_000)
  xml!: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  resourceName?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  category?: string;

  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[A-Za-z0-9]+$/, { message: 'serialCode must be letters and digits' })
  serialCode?: string;
}

export class ListDefinitionsCommand extends PagedCommand {
  @IsOptional() @IsString() @MaxLength(255) key?: string;
  @IsOptional() @IsString() @MaxLength(255) name?: string;
  @IsOptional() @IsString() @MaxLength(64) category?: string;
  @IsOptional() @IsBoolean() latestOnly?: boolean;
  /** "What I may start": newest versions, not suspended, the actor among their candidate starters. */
  @IsOptional() @IsBoolean() startableOnly?: boolean;
}

export class GetDefinitionCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
}

export class UpdateDefinitionCommand extends GetDefinitionCommand {
  @IsOptional() @IsBoolean() suspended?: boolean;
  @IsOptional() @IsString() @MaxLength(64) category?: string | null;
}

export class DefinitionReply {
  @ApiProperty({ example: '3' }) id!: string;
  @ApiProperty({ example: 'leave' }) key!: string;
  @ApiProperty({ example: 2 }) version!: number;
  @ApiProperty({ example: '请假流程' }) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) category!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) description!: string | null;
  @ApiProperty({ example: 'leave' }) serialCode!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) resourceName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'formKey of the start event' })
  startFormKey!: string | null;
  @ApiProperty() suspended!: boolean;
  @ApiProperty({ description: 'Whether this is the newest version of its key' }) latest!: boolean;
  @ApiProperty() deployedBy!: string;
  @ApiProperty({ format: 'date-time' }) deployedAt!: string;
  @ApiProperty({
    type: [String],
    description: 'Vendor namespaces the document uses (camunda, flowable, activiti)',
  })
  vendors!: string[];
}

export class DefinitionXmlReply {
  @ApiProperty() id!: string;
  @ApiProperty() xml!: string;
}

/** Checks a definition without storing it (the designer asks before deploying). */
export class CheckDefinitionCommand extends ActorCommand {
  @IsString()
  @MaxLength(5_000_000)
  xml!: string;
}

/** A literal person or group a user task (or the process's starter list) names. */
export class DefinitionReferenceReply {
  @ApiProperty({ example: 'approve' }) elementId!: string;
  @ApiProperty({
    enum: [
      'assignee',
      'candidateUsers',
      'candidateGroups',
      'candidateStarterUsers',
      'candidateStarterGroups',
    ],
  })
  attribute!: string;
  @ApiProperty({ enum: ['user', 'group'] }) kind!: 'user' | 'group';
  @ApiProperty({ example: '42', description: 'As written (a staff id, a group id, role:code, group:id)' })
  value!: string;
}

export class DefinitionCheckReply {
  @ApiProperty({ example: 'leave' }) key!: string;
  @ApiProperty({ example: '请假流程' }) name!: string;
  @ApiProperty({ type: [String] }) vendors!: string[];
  @ApiProperty({ description: 'User tasks in the definition' }) userTasks!: number;
  @ApiProperty({ type: [DefinitionReferenceReply], description: 'Literal people and groups it names' })
  references!: DefinitionReferenceReply[];
}

export const CATEGORY_CODE_PATTERN = /^[\w-]{1,64}$/;

export class ListCategoriesCommand extends ActorCommand {}

export class SaveCategoryCommand extends ActorCommand {
  @IsOptional() @IsString() @Matches(/^\d{1,18}$/) id?: string;
  @IsString() @Matches(CATEGORY_CODE_PATTERN) code!: string;
  @IsString() @MaxLength(128) name!: string;
  @IsOptional() @IsInt() sortOrder?: number;
}

export class DeleteCategoryCommand extends ActorCommand {
  @IsString() @Matches(/^\d{1,18}$/) id!: string;
}

export class CategoryReply {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() sortOrder!: number;
}
