import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { PageQueryDto } from '@app/common';
import {
  SEXES,
  type Sex,
  type StaffEntity,
  STAFF_STATUSES,
  STAFF_TYPES,
  type StaffStatus,
  type StaffType,
} from '@app/database';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/auth.dto';
import {
  EmptyAsUndefined,
  IsBigintId,
  IsBusinessTime,
  IsCalendarDate,
  ToIdList,
} from '../../shared/dto-helpers';

/** Account names start with a letter, so they never look like a phone number (login takes either). */
export const ACCOUNT_PATTERN = /^[A-Za-z][A-Za-z0-9_.@-]{1,63}$/;
export const PHONE_PATTERN = /^\+?\d[\d-]{4,30}$/;

/** `undefined` = leave as is; `null` rejected (the field is required on the record). */
const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/** Fields of a staff record that an administrator sets; `null` clears an optional one. */
export class StaffFieldsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '13800000000',
    description: 'Sign-in name (or account); unique',
  })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be digits, optionally with + and -' })
  phone?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'liuchao',
    description: 'Sign-in name; starts with a letter; unique',
  })
  @IsOptional()
  @IsString()
  @Matches(ACCOUNT_PATTERN, { message: 'account must start with a letter (letters, digits, _ . @ -, 2–64)' })
  account?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'AA1611',
    description: '员工编号 / empCode; unique',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/)
  employeeNo?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nickName?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 2048,
    description: 'http(s) URL; the scheme may be left out (seed 001 sends `www.baidu.com`)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: false, require_tld: false })
  avatarUrl?: string | null;

  @ApiPropertyOptional({ enum: SEXES })
  @Present()
  @IsIn(SEXES)
  sex?: Sex;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  title?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '1990-05-01', description: 'yyyy-MM-dd' })
  @IsOptional()
  @IsCalendarDate()
  birthday?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  school?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  education?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  politicalAffiliation?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  openId?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  info?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '2020-12-11 00:00:02',
    description: 'ISO 8601, or yyyy-MM-dd HH:mm:ss in TZ_BUSINESS',
  })
  @IsOptional()
  @IsBusinessTime()
  entryTime?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, example: '2021-03-11 00:00:00' })
  @IsOptional()
  @IsBusinessTime()
  officialTime?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsBusinessTime() resignTime?:
    string | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;

  @ApiPropertyOptional({ enum: STAFF_TYPES, description: '1 编内员工 = staff, 2 通讯员 = courier' })
  @Present()
  @IsIn(STAFF_TYPES)
  type?: StaffType;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Department id (within your data scope); null = none',
  })
  @IsOptional()
  @IsBigintId()
  departmentId?: string | null;

  @ApiPropertyOptional({ type: [String], description: 'Replaces the member’s groups (员工组)' })
  @Present()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  groupIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Replaces the member’s roles; needs staff:grant and never grants more than you hold',
  })
  @Present()
  @IsArray()
  @ArrayMaxSize(50)
  @IsBigintId({ each: true })
  roleIds?: string[];
}

export class CreateStaffDto extends StaffFieldsDto {
  @ApiProperty({ maxLength: 64, example: '刘超' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  realName!: string;
}

export class UpdateStaffDto extends StaffFieldsDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  realName?: string;
}

/** What members may change about themselves (`PATCH /me`); everything else is an administrator's. */
export class UpdateProfileDto extends PickType(StaffFieldsDto, [
  'nickName',
  'avatarUrl',
  'sex',
  'birthday',
  'address',
  'school',
  'education',
  'politicalAffiliation',
] as const) {}

export const STAFF_STATUS_FILTERS = ['all', 'normal', ...STAFF_STATUSES] as const;
export type StaffStatusFilter = (typeof STAFF_STATUS_FILTERS)[number];

export class StaffListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    enum: STAFF_STATUS_FILTERS,
    default: 'enabled',
    description:
      'all; normal = enabled + disabled; enabled; disabled; deleted (seed 001: all / normal / 1 / 0 / -1)',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(STAFF_STATUS_FILTERS)
  status: StaffStatusFilter = 'enabled';

  @ApiPropertyOptional({ enum: STAFF_TYPES, description: 'Default: both types' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(STAFF_TYPES)
  type?: StaffType;

  @ApiPropertyOptional({
    type: [String],
    description: 'Members of any of these groups: repeated keys, `1,2,3` or `[1,2,3]`',
  })
  @ToIdList()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsBigintId({ each: true })
  groupIds?: string[];

  @ApiPropertyOptional() @EmptyAsUndefined() @IsOptional() @IsBigintId() departmentId?: string;

  @ApiPropertyOptional({ maxLength: 64, description: 'Part of the real name, nickname, account or phone' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  keyword?: string;

  @ApiPropertyOptional({ enum: ['menus'], description: 'menus: each row also lists its direct menu grants' })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(['menus'])
  include?: 'menus';
}

export class PasswordResetDto {
  @ApiPropertyOptional({
    format: 'password',
    description: 'The new password; omit to have a random one generated and shown once',
  })
  @IsOptional()
  @IsString()
  @MinLength(PASSWORD_MIN_LENGTH)
  @MaxLength(PASSWORD_MAX_LENGTH)
  password?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'The member must choose a new password at next sign-in',
  })
  @IsOptional()
  @IsBoolean()
  mustChangePassword?: boolean;
}

export class PasswordResetResultDto {
  @ApiPropertyOptional({ description: 'The generated password (only when none was given); shown once' })
  temporaryPassword?: string;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiProperty({ description: 'How many sessions of the member were ended' }) sessionsEnded!: number;
}

export class SetMenusDto {
  @ApiProperty({ type: [String], description: 'Menu ids granted directly (replaces the direct grants)' })
  @IsArray()
  @ArrayMaxSize(500)
  @IsBigintId({ each: true })
  menuIds!: string[];
}

export class RefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class RoleRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
}

export class MenuRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) content!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
}

export class StaffDto {
  @ApiProperty() id!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) account!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) employeeNo!: string | null;
  @ApiProperty() realName!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) nickName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) avatarUrl!: string | null;
  @ApiProperty({ enum: SEXES }) sex!: Sex;
  @ApiPropertyOptional({ nullable: true, type: String }) title!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '1990-05-01' }) birthday!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) address!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) school!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) education!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) politicalAffiliation!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) openId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) info!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) entryTime!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) officialTime!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) resignTime!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ enum: STAFF_STATUSES }) status!: StaffStatus;
  @ApiProperty({ enum: STAFF_TYPES }) type!: StaffType;
  @ApiPropertyOptional({ nullable: true, type: RefDto }) department!: RefDto | null;
  @ApiProperty({ type: [RefDto] }) groups!: RefDto[];
  @ApiProperty({ type: [RoleRefDto] }) roles!: RoleRefDto[];
  @ApiPropertyOptional({ type: [MenuRefDto], description: 'Direct menu grants (with include=menus)' })
  menus?: MenuRefDto[];
  @ApiProperty({ description: 'Whether a password is set (never the password or its hash)' })
  hasPassword!: boolean;
  @ApiProperty() mustChangePassword!: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' }) lastLoginAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class StaffMenusDto {
  @ApiProperty() staffId!: string;
  @ApiProperty({ type: [MenuRefDto], description: 'Granted directly' }) menus!: MenuRefDto[];
  @ApiProperty({ type: [MenuRefDto], description: 'Granted through the member’s enabled groups' })
  groupMenus!: MenuRefDto[];
}

/** A staff row with what the list and detail show beside the entity's columns. */
export interface StaffRow {
  staff: StaffEntity;
  department: RefDto | null;
  groups: RefDto[];
  roles: RoleRefDto[];
  menus?: MenuRefDto[];
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function mapStaff(row: StaffRow): StaffDto {
  const s = row.staff;
  return {
    id: s.id,
    account: s.account,
    phone: s.phone,
    employeeNo: s.employeeNo,
    realName: s.realName,
    nickName: s.nickName,
    avatarUrl: s.avatarUrl,
    sex: s.sex,
    title: s.title,
    birthday: s.birthday,
    address: s.address,
    school: s.school,
    education: s.education,
    politicalAffiliation: s.politicalAffiliation,
    openId: s.openId,
    info: s.info,
    entryTime: iso(s.entryTime),
    officialTime: iso(s.officialTime),
    resignTime: iso(s.resignTime),
    note: s.note,
    status: s.status,
    type: s.type,
    department: row.department,
    groups: row.groups,
    roles: row.roles,
    ...(row.menus ? { menus: row.menus } : {}),
    hasPassword: s.passwordHash !== null,
    mustChangePassword: s.mustChangePassword,
    lastLoginAt: iso(s.lastLoginAt),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}
