import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@app/contracts';
import { IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQueryDto } from '@app/common';
import type { CrmSmsEntity, CrmSmsTemplateEntity } from '@app/database';
import { EmptyAsUndefined, IsBigintId, IsBusinessTime, IsReportedNumber, isPresent } from '../shared/crm-dto';

/** One text message of a phone upload (seed 003 addMessages). */
export class SmsUploadItemDto {
  @ApiProperty({ maxLength: 64, description: '发送者编号 (empCode or customerCode)' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sender!: string;

  @ApiProperty({ maxLength: 64, description: '接收方编号' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  receiver!: string;

  @ApiProperty({ enum: [1, 2], description: '1 销售 2 客户' })
  @ToInt()
  @IsIn([1, 2])
  senderRole!: number;

  @ApiProperty({
    example: '2018-09-07 07:53:41.300',
    description: 'yyyy-MM-dd HH:mm:ss[.SSS] (TZ_BUSINESS) or ISO 8601',
  })
  @IsBusinessTime()
  occurTime!: string;

  @ApiProperty({ maxLength: 2000 }) @IsString() @MinLength(1) @MaxLength(2000) content!: string;

  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsReportedNumber() senderMobile?: string;
  @ApiPropertyOptional({ maxLength: 32 }) @IsOptional() @IsReportedNumber() receiverMobile?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) senderName?: string;
  @ApiPropertyOptional({ maxLength: 64 }) @IsOptional() @IsString() @MaxLength(64) receiverName?: string;
  @ApiPropertyOptional({ maxLength: 64, default: '【东方融资网】' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  signature?: string;
  @ApiPropertyOptional({ enum: [0, 1], default: 1 })
  @IsOptional()
  @ToInt()
  @IsIn([0, 1])
  sendStatus?: number;
  @ApiPropertyOptional({ enum: [0, 1], default: 1 })
  @IsOptional()
  @ToInt()
  @IsIn([0, 1])
  isRead?: number;
}

export class UploadResultDto {
  @ApiProperty({
    description: 'latest occurTime / callDate stored for you, epoch milliseconds (0 when none)',
  })
  lastSyncTime!: number;
  @ApiProperty({ description: 'records added by this batch' }) inserted!: number;
  @ApiProperty({ description: 'records already stored (replays)' }) duplicates!: number;
}

export class SmsListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsString() @MaxLength(64) empCode?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsString() @MaxLength(64) customerCode?: string;
  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsString() @MaxLength(32) customerMobile?: string;
  @ApiPropertyOptional({ description: 'the uploading staff member' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  staffId?: string;
}

export class SmsDto {
  @ApiProperty() id!: string;
  @ApiProperty() staffId!: string;
  @ApiProperty() sender!: string;
  @ApiProperty() receiver!: string;
  @ApiProperty() senderRole!: number;
  @ApiProperty({ format: 'date-time' }) occurTime!: string;
  @ApiProperty() content!: string;
  @ApiProperty() senderMobile!: string;
  @ApiProperty() receiverMobile!: string;
  @ApiProperty() senderName!: string;
  @ApiProperty() receiverName!: string;
  @ApiProperty() signature!: string;
  @ApiProperty() sendStatus!: number;
  @ApiProperty() isRead!: number;
  @ApiProperty() empCode!: string;
  @ApiProperty() customerCode!: string;
  @ApiProperty() customerMobile!: string;
}

export function mapSms(s: CrmSmsEntity): SmsDto {
  return {
    id: s.id,
    staffId: s.staffId,
    sender: s.sender,
    receiver: s.receiver,
    senderRole: s.senderRole,
    occurTime: s.occurTime.toISOString(),
    content: s.content,
    senderMobile: s.senderMobile,
    receiverMobile: s.receiverMobile,
    senderName: s.senderName,
    receiverName: s.receiverName,
    signature: s.signature,
    sendStatus: s.sendStatus,
    isRead: s.isRead,
    empCode: s.empCode,
    customerCode: s.customerCode,
    customerMobile: s.customerMobile,
  };
}

export class CreateSmsTemplateDto {
  @ApiProperty({ maxLength: 100 }) @IsString() @MinLength(1) @MaxLength(100) title!: string;
  @ApiProperty({ maxLength: 1000 }) @IsString() @MinLength(1) @MaxLength(1000) content!: string;
}

export class UpdateSmsTemplateDto {
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsString() @MinLength(1) @MaxLength(100) title?: string;
  @ApiPropertyOptional() @ValidateIf(isPresent) @IsString() @MinLength(1) @MaxLength(1000) content?: string;
}

export class SmsTemplateDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() content!: string;
}

export const mapTemplate = (t: CrmSmsTemplateEntity): SmsTemplateDto => ({
  id: t.id,
  title: t.title,
  content: t.content,
});
