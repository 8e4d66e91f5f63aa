import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export class PeopleQueryDto {
  @ApiPropertyOptional({ description: 'Part of a name or sign-in name (at most 20 matches)', example: '张' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  keyword?: string;

  @ApiPropertyOptional({ description: 'Comma-separated staff ids (at most 200)', example: '7,12' })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,18}(,\d{1,18}){0,199}$/, { message: 'ids must be comma-separated staff ids' })
  ids?: string;
}

/** What any member may know of a colleague to pick or recognise them: no phone, no personal data. */
export class PersonDto {
  @ApiProperty({ example: '7' }) id!: string;
  @ApiProperty({ example: '李四' }) name!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'lisi' }) account!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '财务部' }) departmentName!: string | null;
}
