import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@app/contracts';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { CrmCallEntity } from '@app/database';
import { EmptyAsUndefined, IsBigintId, IsBusinessTime, IsReportedNumber } from '../shared/crm-dto';

/** 0 销售未拨打 1 销售拨打已接通 2 销售拨打未接通 3 客户拨打销售未接 4 客户拨打销售接通 */
export const CALL_STATUSES = [0, 1, 2, 3, 4] as const;

export class CallUploadItemDto {
  @ApiProperty({
    maxLength: 32,
    description: '客户手机号码 as the call log has it ("" or "-2" for a hidden caller)',
  })
  @IsReportedNumber()
  mobile!: string;
  @ApiProperty({ description: '通话时长(秒)' })
  @ToInt()
  @IsInt()
  @Min(0)
  @Max(86_400)
  billSec!: number;
  @ApiProperty({ description: 'yyyy-MM-dd HH:mm:ss (TZ_BUSINESS) or ISO 8601' })
  @IsBusinessTime()
  callDate!: string;
  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsReportedNumber() empWorkMobile?: string;
  @ApiProperty({ description: '销售编号' }) @IsString() @MinLength(1) @MaxLength(64) empCode!: string;
  @ApiProperty({ enum: CALL_STATUSES }) @ToInt() @IsIn(CALL_STATUSES) callStatus!: number;
}

export class CallListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsString() @MaxLength(64) empCode?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsString() @MaxLength(32) mobile?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() staffId?: string;
}

export class CallDto {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() empCode!: string;
  @ApiProperty() empWorkMobile!: string;
  @ApiProperty() mobile!: string;
  @ApiProperty() billSec!: number;
  @ApiProperty({ format: 'date-time' }) callDate!: string;
  @ApiProperty({ enum: CALL_STATUSES }) callStatus!: number;
}

export const mapCall = (c: CrmCallEntity): CallDto => ({
  id: c.id,
  staffId: c.staffId,
  empCode: c.empCode,
  empWorkMobile: c.empWorkMobile,
  mobile: c.mobile,
  billSec: c.billSec,
  callDate: c.callDate.toISOString(),
  callStatus: c.callStatus,
});
