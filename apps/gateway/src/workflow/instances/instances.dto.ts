import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  ELEMENT_ID_PATTERN,
  INSTANCE_STATUS_VALUES,
  type InstanceStatusName,
  USER_REF_PATTERN,
} from '@app/contracts';
import { PageQueryDto } from '@app/common';

export class StartInstanceBodyDto {
  @ApiPropertyOptional({ description: 'Definition id (one version); or give definitionKey', example: '3' })
  // checked when sent, or as the one missing when neither is (the controller refuses both)
  @ValidateIf((o: StartInstanceBodyDto) => o.definitionId !== undefined || o.definitionKey === undefined)
  @IsString()
  @Matches(/^\d{1,18}$/, { message: 'definitionId must be a numeric id (or give definitionKey)' })
  definitionId?: string;

  @ApiPropertyOptional({ description: 'Process key: starts its newest active version', example: 'leave' })
  @ValidateIf((o: StartInstanceBodyDto) => o.definitionKey !== undefined || o.definitionId === undefined)
  @IsString()
  @MaxLength(255)
  definitionKey?: string;

  @ApiPropertyOptional({ example: 'LEAVE-2026-0042' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  businessKey?: string;
  @ApiPropertyOptional({ example: '张三的请假' }) @IsOptional() @IsString() @MaxLength(255) title?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: { day: 5 } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

export class ListInstancesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: ['started', 'all'],
    default: 'started',
    description: 'started = mine; all = every one I may see',
  })
  @IsOptional()
  @IsIn(['started', 'all'])
  scope: 'started' | 'all' = 'started';

  @ApiPropertyOptional({ enum: INSTANCE_STATUS_VALUES })
  @IsOptional()
  @IsIn(INSTANCE_STATUS_VALUES)
  status?: InstanceStatusName;

  @ApiPropertyOptional({ description: 'true = ended in any way, false = running' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  finished?: boolean;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) businessKey?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  startedFrom?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  startedTo?: string;
}

export class CorrelateBodyDto {
  @ApiPropertyOptional({ enum: ['message', 'signal'], default: 'message' })
  @IsOptional()
  @IsIn(['message', 'signal'])
  kind: 'message' | 'signal' = 'message';

  @ApiPropertyOptional({ description: 'Message or signal name as in the BPMN' })
  @IsString()
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({
    maxLength: 255,
    description:
      'Messages only: the waiting execution to deliver to, when several wait for the message (`executionId` of an open entry of the instance history: a catch, boundary event or receive task; an execution inside the scope of a waiting event sub-process starts that one). One that does not wait for it → 4101 naming `executionId`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  executionId?: string;

  @ApiPropertyOptional({
    description: "Messages only: deliver to every execution that waits for it (Camunda's correlateAll)",
  })
  @IsOptional()
  @IsBoolean()
  all?: boolean;
}

export class InstanceCommentBodyDto {
  @ApiPropertyOptional({ maxLength: 2000, example: '请尽快处理' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RelaunchBodyDto extends InstanceCommentBodyDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: "Merged over the previous run's variables",
    example: { day: 2 },
  })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) title?: string;
}

export class JumpBodyDto extends InstanceCommentBodyDto {
  @ApiProperty({ description: 'Element id of the node to move every token of its scope to (nextNodeSeq)' })
  @IsString()
  @Matches(ELEMENT_ID_PATTERN)
  targetElementId!: string;

  @ApiPropertyOptional({ description: 'Report what would be cancelled and started; change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class SignerBodyDto extends InstanceCommentBodyDto {
  @ApiProperty({ description: 'Multi-instance (会签) node', example: 'allSign' })
  @IsString()
  @Matches(ELEMENT_ID_PATTERN)
  elementId!: string;

  @ApiProperty({ description: "Signer (an element of the node's collection)", example: '12' })
  @IsString()
  @Matches(USER_REF_PATTERN)
  userId!: string;
}
