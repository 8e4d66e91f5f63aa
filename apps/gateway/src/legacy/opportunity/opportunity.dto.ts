import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
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
  @ToInt() @IsInt() @Min(1) @Max(200) pageSize!: number;
  @ToInt() @IsInt() @Min(1) @Max(1_000_000) pageNum!: number;
}

export class InstancePathDto {
  @IsString() @MaxLength(18) processInstanceId!: string;
}

export class TaskPathDto {
  @IsString() @MaxLength(18) taskId!: string;
}
