import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const IMPORT_ENTITIES = ['organizations', 'customers'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

export class CreateImportDto {
  @ApiProperty({ enum: IMPORT_ENTITIES }) @IsIn(IMPORT_ENTITIES) entity!: ImportEntity;

  @ApiProperty({
    maxLength: 900_000,
    description:
      'CSV text with a header row. Organizations: name, detail, type, province, city, county, address, legalPerson, ' +
      'registeredCapital, registrationDate, website, note (matched by name). Customers: realName, phone, code, nickName, ' +
      'type, job, sex, level, note, stage, comment, organizationNames (";"-separated; matched by phone, else by name).',
  })
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

export class ImportErrorDto {
  @ApiProperty({ description: '1-based data row (the header is line 1, so line = row + 1)' }) row!: number;
  @ApiProperty() field!: string;
  @ApiProperty() reason!: string;
}

export class ImportDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: IMPORT_ENTITIES }) entity!: string;
  @ApiProperty({ enum: ['dry_run', 'applied', 'undone'] }) status!: string;
  @ApiProperty() rowCount!: number;
  @ApiProperty({ description: 'rows that create a record' }) created!: number;
  @ApiProperty({ description: 'rows that update a record' }) updated!: number;
  @ApiProperty({ type: [ImportErrorDto] }) errors!: ImportErrorDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) undoneAt!: string | null;
}
