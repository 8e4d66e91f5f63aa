import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { DATA_SCOPES, type DataScope } from '@app/contracts';
import { PageQueryDto } from '@app/common';
import {
  APPLICATION_STATUSES,
  APPLICATION_TYPES,
  type ApplicationEntity,
  type ApplicationStatus,
  type ApplicationType,
} from '@app/database';
import { GRANTABLE } from '../menus/menu.dto';
import { EmptyAsUndefined } from '../../shared/dto-helpers';

const Present = () => ValidateIf((_: object, value: unknown) => value !== undefined);

export class CreateApplicationDto {
  @ApiProperty({
    enum: APPLICATION_TYPES,
    description: 'app (前端应用, appID) or service (后台服务, serverID)',
  })
  @IsIn(APPLICATION_TYPES)
  type!: ApplicationType;

  @ApiProperty({ maxLength: 64, example: '工单大厅' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;

  @ApiPropertyOptional({
    example: '12345678',
    description: 'The appID / serverID to use (e.g. an existing integrator’s); generated when omitted',
  })
  @EmptyAsUndefined()
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{4,48}$/)
  clientId?: string;

  @ApiProperty({
    type: [String],
    enum: GRANTABLE,
    description: 'What the caller may do (for an app: the ceiling over its user’s own rights)',
  })
  @IsArray()
  @ArrayMaxSize(200)
  @IsIn(GRANTABLE, { each: true })
  permissions!: string[];

  @ApiPropertyOptional({
    enum: DATA_SCOPES,
    default: 'all',
    description: 'Data scope of a service acting as itself (no user token); own = nothing personal',
  })
  @IsOptional()
  @IsIn(DATA_SCOPES)
  dataScope?: DataScope;
}

export class UpdateApplicationDto {
  @ApiPropertyOptional({ maxLength: 64 })
  @Present()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  note?: string | null;

  @ApiPropertyOptional({ type: [String], enum: GRANTABLE })
  @Present()
  @IsArray()
  @ArrayMaxSize(200)
  @IsIn(GRANTABLE, { each: true })
  permissions?: string[];

  @ApiPropertyOptional({ enum: DATA_SCOPES })
  @Present()
  @IsIn(DATA_SCOPES)
  dataScope?: DataScope;
}

export class ApplicationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: APPLICATION_TYPES })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(APPLICATION_TYPES)
  type?: ApplicationType;

  @ApiPropertyOptional({ enum: APPLICATION_STATUSES })
  @EmptyAsUndefined()
  @IsOptional()
  @IsIn(APPLICATION_STATUSES)
  status?: ApplicationStatus;
}

export class ApplicationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: APPLICATION_TYPES }) type!: ApplicationType;
  @ApiProperty({ description: 'Sent as the appID / serverID header' }) clientId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) note!: string | null;
  @ApiProperty({ type: [String] }) permissions!: string[];
  @ApiProperty({ enum: DATA_SCOPES }) dataScope!: DataScope;
  @ApiProperty({ enum: APPLICATION_STATUSES }) status!: ApplicationStatus;
  @ApiProperty({ description: 'Last 4 characters of the secret (the secret itself is never shown again)' })
  secretHint!: string;
  @ApiProperty({ format: 'date-time' }) secretRotatedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ApplicationWithSecretDto extends ApplicationDto {
  @ApiProperty({ description: 'The secretKey: shown this once, stored only as a digest' }) secret!: string;
}

export function mapApplication(app: ApplicationEntity): ApplicationDto {
  return {
    id: app.id,
    type: app.type,
    clientId: app.clientId,
    name: app.name,
    note: app.note,
    permissions: app.permissions,
    dataScope: app.dataScope,
    status: app.status,
    secretHint: app.secretHint,
    secretRotatedAt: app.secretRotatedAt.toISOString(),
    createdBy: app.createdBy,
    createdAt: app.createdAt.toISOString(),
    updatedAt: app.updatedAt.toISOString(),
  };
}
