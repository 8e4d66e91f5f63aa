import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ANY_JSON_VALUE } from '@app/common';
import type { CrmCustomerEntity } from '@app/database';
import type { SmsDto } from '../../crm/sms/sms.dto';
import { ToInt } from '../legacy-query';

/** `POST /api/account/login`. */
export class SalesLoginDto {
  @ApiProperty({
    description: '销售工号: 4-digit number, employee code, account name or phone',
    example: '1611',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  @ApiProperty({ description: 'md5(password), 32 hex digits', example: 'e10adc3949ba59abbe56e057f20f883e' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password!: string;
}

class PagingDto {
  @ApiPropertyOptional({ description: '每页记录行数 (number or numeric string)', example: 10, default: 20 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize: number = 20;

  @ApiPropertyOptional({ description: '第几页, from 1', example: 1, default: 1 })
  @IsOptional()
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  pageIndex: number = 1;
}

/** `POST /api/customer/list`. */
export class CustomerListDto extends PagingDto {
  @ApiPropertyOptional({
    description: '客户进程: -1 全部, 1 有需求, 2 有意向, 3 已来访, 4 已签约, 5 已成交 (外包 + 会员), 6 会员',
    example: 1,
    default: -1,
  })
  @IsOptional()
  @ToInt()
  @IsIn([-1, 1, 2, 3, 4, 5, 6], { message: 'customerExeStatus must be -1, 1, 2, 3, 4, 5 or 6' })
  customerExeStatus: number = -1;

  @ApiPropertyOptional({ description: '销售工号 (whose customers; default every customer you may see)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  empCode?: string;

  @ApiPropertyOptional({ ...ANY_JSON_VALUE, description: '已弃用, ignored' })
  @IsOptional()
  refreshWX?: unknown;
}

/** `POST /api/customer/editComment` (A-62: at most 500 characters). */
export class EditCommentDto {
  @ApiProperty({ example: 'AFC14101000001' })
  @IsString()
  @MinLength(1)
  @MaxLength(32)
  customerCode!: string;

  @ApiProperty({ maxLength: 500, example: '你好' })
  @IsString()
  @MaxLength(500, { message: 'comment must be at most 500 characters' })
  comment!: string;
}

/** `POST /api/sms/getMessages` (A-59: empName is ignored). */
export class SmsListDto extends PagingDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) empCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerCode?: string;
  @ApiPropertyOptional({ description: 'ignored (A-59)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  empName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) customerMobile?: string;
}

const MOBILE = /^[0-9+\-() ]{3,32}$/;

/** `POST /api/wechat/addFriend` (deprecated; A-61). */
export class AddFriendDto {
  @ApiProperty({ example: '18522222222' })
  @IsString()
  @Matches(MOBILE, { message: 'customerMobile must be a phone number' })
  customerMobile!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerWechatId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) customerName?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) empWorkMobile?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) empWechatId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) empName?: string;
}

/** `POST /api/wechat/updateFriendStatus` (A-61: 1 or 6, number or numeric string). */
export class UpdateFriendStatusDto {
  @ApiProperty({ example: '18722222222' })
  @IsString()
  @Matches(MOBILE, { message: 'customerMobile must be a phone number' })
  customerMobile!: string;

  @ApiProperty({ enum: [1, 6], description: '1 非微信好友, 6 已经是微信好友' })
  @ToInt()
  @IsIn([1, 6], { message: 'friendStatus must be 1 (非微信好友) or 6 (已经是微信好友)' })
  friendStatus!: number;
}

/**
 * One row of the customer list as the seed's example writes it. The platform keeps no loan
 * application fields: they answer "unknown" (0, salary and dates "").
 */
export function mapSalesCustomer(c: CrmCustomerEntity) {
  return {
    name: c.realName,
    hasCars: 0,
    hasPolicy: 0,
    salary: '',
    hasHouse: 0,
    isSecuityOrFund: 0,
    job: c.job ?? '',
    rqrDuration: 0,
    rqrAmount: 0,
    paymentDate: '',
    workPlace: '',
    comment: c.comment ?? '',
    // a CRM customer may have no pipeline stage yet: the table types exeStatus int (0 = unknown, A-70)
    exeStatus: c.stage ?? 0,
    customerCode: c.code ?? '',
    mobile: c.phone ?? '',
    contactStatus: c.contactStatus,
    wechatFriendStatus: c.wechatStatus,
    customerWechatId: c.wechatId ?? '',
  };
}

/** One SMS row of `getMessages` (upload fields, `occurTime` as `yyyy-MM-dd HH:mm:ss.SSS`, A-08). */
export function mapSalesSms(s: SmsDto, occurTime: string) {
  return {
    sender: s.sender,
    receiver: s.receiver,
    senderRole: s.senderRole,
    occurTime,
    content: s.content,
    senderMobile: s.senderMobile,
    receiverMobile: s.receiverMobile,
    senderName: s.senderName,
    receiverName: s.receiverName,
    signature: s.signature,
    sendStatus: s.sendStatus,
    isRead: s.isRead,
  };
}
