import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, Matches } from 'class-validator';

export const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const USER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const dayRule = (field: string) => ({ message: `${field} must be a day (yyyy-MM-dd)` });

export class AttendanceWindowDto {
  @ApiPropertyOptional({ example: '2021-07-10', description: '开始时间 yyyy-MM-dd; default today' })
  @IsOptional()
  @Matches(DAY, dayRule('startTime'))
  startTime?: string;

  @ApiPropertyOptional({ example: '2021-07-16', description: '结束时间 yyyy-MM-dd; default today' })
  @IsOptional()
  @Matches(DAY, dayRule('endTime'))
  endTime?: string;
}

export class AttendanceQueryDto extends AttendanceWindowDto {
  @ApiProperty({
    example: '01131805470926241241,0420',
    description: 'DingTalk user ids, comma-separated (≤ 200)',
  })
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : value,
  )
  @IsArray({ message: 'userIds is required' })
  @ArrayMinSize(1, { message: 'userIds is required' })
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @Matches(USER_ID, { each: true, message: 'userIds must be DingTalk user ids' })
  userIds!: string[];
}

export class DingTalkDepartmentDto {
  @ApiProperty({ example: 1 }) id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: Number }) parentId!: number | null;
  @ApiProperty({ type: () => [DingTalkDepartmentDto] }) children!: DingTalkDepartmentDto[];
}

export class DingTalkUserDto {
  @ApiProperty() userid!: string;
  @ApiProperty({ nullable: true, type: String }) unionid!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) mobile!: string | null;
  @ApiProperty({ nullable: true, type: String }) email!: string | null;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ nullable: true, type: String }) jobNumber!: string | null;
  @ApiProperty({ type: [Number] }) deptIdList!: number[];
  @ApiProperty() leader!: boolean;
  @ApiProperty() admin!: boolean;
  @ApiProperty() boss!: boolean;
  @ApiProperty() active!: boolean;
  @ApiProperty({ nullable: true, type: Number }) hiredDate!: number | null;
}

export class DingTalkAttendanceDto {
  @ApiProperty({ nullable: true, type: String }) id!: string | null;
  @ApiProperty({ nullable: true, type: String }) recordId!: string | null;
  @ApiProperty() userId!: string;
  @ApiProperty({ description: 'epoch ms' }) workDate!: number;
  @ApiProperty({ example: 'OnDuty' }) checkType!: string;
  @ApiProperty({ example: 'Normal' }) timeResult!: string;
  @ApiProperty({ nullable: true, type: String }) locationResult!: string | null;
  @ApiProperty({ nullable: true, type: Number }) baseCheckTime!: number | null;
  @ApiProperty({ nullable: true, type: Number }) userCheckTime!: number | null;
  @ApiProperty({ nullable: true, type: String }) sourceType!: string | null;
  @ApiProperty({ nullable: true, type: String }) planId!: string | null;
  @ApiProperty({ nullable: true, type: String }) groupId!: string | null;
}
