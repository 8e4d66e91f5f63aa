import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@app/common';

const toBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;

export class DeployDefinitionBodyDto {
  @ApiPropertyOptional({
    description: 'BPMN 2.0 XML (JSON requests); multipart requests send it as the file field `file`',
  })
  @IsOptional()
  @IsString()
  @MaxLength(5_000_000)
  xml?: string;

  @ApiPropertyOptional({ example: 'leave.bpmn20.xml' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  resourceName?: string;

  @ApiPropertyOptional({ description: 'Code of an existing definition category' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  category?: string;

  @ApiPropertyOptional({
    description: 'Prefix of serial numbers {code}_{yyyyMM}_{seq}; default: the process key',
    example: 'ztbxx01',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,64}$/, { message: 'serialCode must be 1-64 letters and digits' })
  serialCode?: string;
}

export class ListDefinitionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) key?: string;
  @ApiPropertyOptional({ description: 'Substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) category?: string;
  @ApiPropertyOptional({ description: 'Only the newest version of each key' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  latestOnly?: boolean;
  @ApiPropertyOptional({
    description:
      'Only definitions I may start now: the newest version of each key, not suspended, and naming me ' +
      'among its candidate starters (candidateStarterUsers / candidateStarterGroups) or naming none ' +
      '(admins and data scope `all`: every one) — the rule a start applies (else 4001)',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  startable?: boolean;
}

export class UpdateDefinitionBodyDto {
  @ApiPropertyOptional({
    description: 'Suspend (true) or activate (false): suspended definitions cannot be started',
  })
  // An empty patch changes nothing and is refused: without `category`, `suspended` is required.
  @ValidateIf((o: UpdateDefinitionBodyDto) => o.suspended !== undefined || o.category === undefined)
  @IsBoolean({ message: 'suspended must be a boolean (give suspended or category)' })
  suspended?: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'Category code, or null to clear it' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(64)
  category?: string | null;
}

export class SaveCategoryBodyDto {
  @ApiProperty({ example: 'hr' }) @IsString() @Matches(/^[\w-]{1,64}$/) code!: string;
  @ApiProperty({ example: '人事' }) @IsString() @MaxLength(128) name!: string;
  @ApiPropertyOptional({ example: 0 }) @IsOptional() @IsInt() @Min(-100000) @Max(100000) sortOrder?: number;
}

export class CheckDefinitionBodyDto {
  @ApiProperty({ description: 'BPMN 2.0 XML to check (nothing is stored)' })
  @IsString()
  @MaxLength(5_000_000)
  xml!: string;
}
