import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ToInt } from '@app/contracts';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import { CONTACT_STATUSES, CUSTOMER_STAGES, type CrmCustomerEntity, WECHAT_STATUSES } from '@app/database';
import {
  EmptyAsUndefined,
  IsBigintId,
  IsBusinessTime,
  IsCalendarDate,
  iso,
  isPresent,
  StaffRefDto,
  ToIdArray,
  ToIdList,
} from '../shared/crm-dto';

const SEXES = ['male', 'female', 'unknown'] as const;

class CustomerFieldsDto {
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 32,
    description: 'customerCode (seed 003), unique',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  code?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nickName?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 64,
    description: 'free-text category (A-30)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 32, description: 'phoneNumber' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9+\-() ]{3,32}$/)
  phone?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  job?: string | null;

  @ApiPropertyOptional({ enum: SEXES })
  @IsOptional()
  @IsIn(SEXES)
  sex?: (typeof SEXES)[number];

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  level?: number;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() isVip?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() isSenior?: boolean;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @IsOptional()
  @IsBusinessTime()
  vipDueTime?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'ISO 8601 or yyyy-MM-dd HH:mm:ss' })
  @IsOptional()
  @IsBusinessTime()
  navigationDueTime?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 128, description: 'seed 001 cid' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  cid?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 128, description: 'seed 001 openId' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  openId?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    maxLength: 2048,
    description: 'http(s) URL; the scheme may be left out (seed 001 sends `www.baidu.com`)',
  })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: false, require_tld: false })
  @MaxLength(2048)
  avatarUrl?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  legalPerson?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  registeredCapital?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @IsCalendarDate()
  registrationDate?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 2048 })
  @IsOptional()
  @IsUrl({ require_protocol: false })
  @MaxLength(2048)
  website?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    enum: CUSTOMER_STAGES,
    description: '1 有需求 2 有意向 3 已来访 4 已签约 5 外包成交 6 会员成交',
  })
  @IsOptional()
  @IsIn(CUSTOMER_STAGES)
  stage?: number | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  comment?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'organization_id: replaces the organizations' })
  @ValidateIf(isPresent)
  @ToIdArray()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  organizationIds?: string[];

  @ApiPropertyOptional({ description: 'creator_id: default you; within your data scope (A-41)' })
  @IsOptional()
  @IsBigintId()
  creatorId?: string;

  @ApiPropertyOptional({ description: 'The salesperson in charge (seed 003 empCode); default the creator' })
  @IsOptional()
  @IsBigintId()
  ownerId?: string;
}

export class CreateCustomerDto extends CustomerFieldsDto {
  @ApiProperty({ maxLength: 64 }) @IsString() @MinLength(1) @MaxLength(64) realName!: string;
}

export class UpdateCustomerDto extends CustomerFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @ValidateIf(isPresent)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  realName?: string;
}

export class CommentDto {
  @ApiProperty({ maxLength: 500, description: '备注, at most 500 characters (code points)' })
  @IsString()
  @MaxLength(500)
  comment!: string;
}

export class WechatStatusDto {
  @ApiProperty({
    enum: [1, 3, 6],
    description: '1 非微信好友, 3 申请中 (deprecated addFriend), 6 已经是微信好友',
  })
  @ToInt()
  @IsIn([1, 3, 6])
  status!: number;
}

export const CUSTOMER_STATUS_FILTERS = ['all', '-1', '1'] as const;

export class CustomerListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'part of an organization name (fuzzy)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  organizationName?: string;

  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() organizationId?: string;

  @ApiPropertyOptional({ description: 'part of the real name (fuzzy)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ description: 'part of the phone number' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional({ description: 'part of the name or of the phone number' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  keyword?: string;

  @ApiPropertyOptional({ enum: CUSTOMER_STATUS_FILTERS, default: '1' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(CUSTOMER_STATUS_FILTERS)
  status: (typeof CUSTOMER_STATUS_FILTERS)[number] = '1';

  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() creatorId?: string;

  @ApiPropertyOptional({ description: 'salesperson in charge (seed 003 empCode)' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsBigintId()
  ownerId?: string;

  @ApiPropertyOptional({
    type: [String],
    description:
      'pipeline stages (repeatable or comma list); 5 = both closed deals (5 外包 and 6 会员); -1 = all',
  })
  @ToIdList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsIn(['-1', '1', '2', '3', '4', '5', '6'], { each: true })
  stage?: string[];
}

export class OrganizationRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class CustomerDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) code!: string | null;
  @ApiProperty() realName!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nickName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) type!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) job!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) cid!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) openId!: string | null;
  @ApiProperty({ enum: SEXES }) sex!: string;
  @ApiProperty() level!: number;
  @ApiProperty() isVip!: boolean;
  @ApiProperty() isSenior!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) vipDueTime!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) navigationDueTime!:
    string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) avatarUrl!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) legalPerson!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) registeredCapital!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) registrationDate!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) website!: string | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) stage!: number | null;
  @ApiPropertyOptional({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ enum: CONTACT_STATUSES, description: '0 未拨打 1 已接通 2 未接通' }) contactStatus!: number;
  @ApiProperty({ enum: WECHAT_STATUSES }) wechatStatus!: number;
  @ApiProperty({ type: [OrganizationRefDto] }) organizations!: OrganizationRefDto[];
  @ApiProperty({ type: StaffRefDto }) creator!: StaffRefDto;
  @ApiPropertyOptional({ type: StaffRefDto, nullable: true }) owner!: StaffRefDto | null;
  @ApiProperty({ enum: ['normal', 'deleted'] }) status!: 'normal' | 'deleted';
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) deletedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

/** The customer's own fields, as both the answer and the timeline show them. */
function customerFields(c: CrmCustomerEntity) {
  return {
    code: c.code,
    realName: c.realName,
    nickName: c.nickName,
    type: c.type,
    phone: c.phone,
    job: c.job,
    cid: c.cid,
    openId: c.openId,
    sex: c.sex,
    level: c.level,
    isVip: c.isVip,
    isSenior: c.isSenior,
    vipDueTime: iso(c.vipDueTime),
    navigationDueTime: iso(c.navigationDueTime),
    avatarUrl: c.avatarUrl,
    note: c.note,
    legalPerson: c.legalPerson,
    registeredCapital: c.registeredCapital,
    registrationDate: c.registrationDate,
    website: c.website,
    stage: c.stage,
    comment: c.comment,
    contactStatus: c.contactStatus,
    wechatStatus: c.wechatStatus,
  };
}

export function customerSnapshot(c: CrmCustomerEntity): Record<string, unknown> {
  return {
    ...customerFields(c),
    organizationIds: [...c.organizationIds].map(String).sort(),
    creatorId: c.creatorId,
    ownerId: c.ownerId,
    deletedAt: iso(c.deletedAt),
  };
}

export function mapCustomer(
  c: CrmCustomerEntity,
  staff: Map<string, string>,
  organizations: Map<string, string>,
): CustomerDto {
  return {
    id: c.id,
    ...customerFields(c),
    organizations: c.organizationIds.map((id) => ({
      id: String(id),
      name: organizations.get(String(id)) ?? '',
    })),
    creator: { id: c.creatorId, name: staff.get(c.creatorId) ?? '' },
    owner: c.ownerId ? { id: c.ownerId, name: staff.get(c.ownerId) ?? '' } : null,
    status: c.deletedAt ? 'deleted' : 'normal',
    deletedAt: iso(c.deletedAt),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
