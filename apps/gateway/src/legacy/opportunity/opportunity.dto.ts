import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { ToInt } from '../legacy-query';

export class DoLoginDto {
  @ApiProperty({ description: '用户名 (account name or phone)' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  accountId!: string;
  @ApiProperty({ description: '密码', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  pass!: string;
}

export class LegacyPasswordDto {
  @ApiProperty({ format: 'password' }) @IsString() @MinLength(1) @MaxLength(128) oldPassword!: string;
  @ApiProperty({ format: 'password' }) @IsString() @MinLength(8) @MaxLength(128) newPassword!: string;
}

/** Seed 000 pages are in the path, size first. */
export class PathPageDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 200, example: 20 })
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize!: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 1_000_000, example: 1 })
  @ToInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  pageNum!: number;
}

export class InstancePathDto {
  @ApiProperty({ maxLength: 18, example: '120' }) @IsString() @MaxLength(18) processInstanceId!: string;
}

export class TaskPathDto {
  @ApiProperty({ maxLength: 18, example: '120' }) @IsString() @MaxLength(18) taskId!: string;
}

/**
 * A yes/no answer as legacy clients send it: 是/否, Y/N, true/false, 1/0; `""` = not decided yet
 * (the clients send every field, later-stage ones empty), treated as absent.
 */
type YesNo = string | boolean | number;
const YES_NO_NOTE = '是 / 否 (also Y/N, true/false, 1/0); "" = not decided yet';
export const YES_ANSWERS: readonly unknown[] = ['是', 'Y', 'y', 'true', '1', true, 1];
export const NO_ANSWERS: readonly unknown[] = ['否', 'N', 'n', 'false', '0', false, 0];
export const UNDECIDED = '';
const YesNoAnswer = () =>
  IsIn([...YES_ANSWERS, ...NO_ANSWERS, UNDECIDED], {
    message: ({ property }) => `${property} must be 是 or 否`,
  });

/**
 * 新建流程: the 15 fields of seed 000. Types are checked here; which fields a stage requires is
 * the built-in form's business (its per-field errors come back as they are).
 */
export class OpportunityProcessDto {
  @ApiProperty({ description: '客户名称' }) @IsString() @MinLength(1) @MaxLength(100) custName!: string;
  @ApiPropertyOptional({ description: '最后拜访日期 (yyyy-MM-dd)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  lastVisitDate?: string;
  @ApiPropertyOptional({ description: '商机类型' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  opportunityType?: string;
  @ApiPropertyOptional({ description: '客户业务需求' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  custBusinessNeeds?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `是否需要市公司支撑: ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isNeedSupport?: YesNo;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `是否已签约: ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isSigned?: YesNo;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `是否已受理: ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isAccepted?: YesNo;
  @ApiPropertyOptional({ description: '业务接入号' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  accNbr?: string;
  @ApiPropertyOptional({ description: '备注' }) @IsOptional() @IsString() @MaxLength(500) memo?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `镇分领导审核是否同意 (decided at that node): ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isSubstLeaderApprove?: YesNo;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `市政企审核是否同意 (decided at that node): ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isZhengQiApprove?: YesNo;
  @ApiPropertyOptional({ description: '商机协同单号 (filled at the collaboration node)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  boCollaborationOrderNo?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'boolean' }, { type: 'number' }, { type: 'string' }],
    description: `是否营销成功: ${YES_NO_NOTE}`,
  })
  @IsOptional()
  @YesNoAnswer()
  isMarketingSuccess?: YesNo;
  @ApiPropertyOptional({ description: '交付确认书' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  deliveryConfirmLetter?: string;
  @ApiPropertyOptional({
    oneOf: [{ type: 'number' }, { type: 'string' }],
    description: '预计增收 (per month; number or numeric string)',
  })
  @IsOptional()
  @ValidateIf((_, v) => typeof v !== 'string')
  @IsNumber({}, { message: 'expectedRevenueIncreasePerMonth must be a number' })
  expectedRevenueIncreasePerMonth?: number | string;
}
