import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Min } from 'class-validator';
import { ListFormsCommand, ProcessFormCommand, SaveFormCommand, ToInt } from '@app/contracts';
import { PageQueryDto } from '@app/common';

export class ListFormsQueryDto extends IntersectionType(
  OmitType(ListFormsCommand, ['actor', 'pageNum', 'pageSize'] as const),
  PageQueryDto,
) {}

export class SaveFormBodyDto extends OmitType(SaveFormCommand, ['actor'] as const) {}
export class SaveFormVersionBodyDto extends OmitType(SaveFormCommand, ['actor', 'formKey'] as const) {}
export class ProcessFormQueryDto extends OmitType(ProcessFormCommand, ['actor'] as const) {}
export class FormVersionQueryDto {
  @ApiPropertyOptional() @IsOptional() @ToInt() @IsInt() @Min(1) version?: number;
}

export class FormKeyParam {
  @ApiProperty({ example: 'opportunity-report' })
  @IsString()
  @Matches(/^[A-Za-z0-9_.:-]{1,255}$/)
  formKey!: string;
}

export class DefinitionIdParam {
  @ApiProperty({ example: '42' }) @IsString() @Matches(/^\d{1,18}$/) id!: string;
}
