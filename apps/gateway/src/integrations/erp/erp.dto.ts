import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQueryDto } from '@app/common';
import { ERP_SYNC_MODES, ERP_SYNC_STATUSES, type ErpSyncMode, type ErpSyncRunEntity } from '@app/database';

const FORM_ID_RULE = { message: 'formId must be an ERP form id such as SAL_SaleOrder (letters, digits, _)' };

export class StartErpSyncDto {
  @ApiProperty({
    example: 'SAL_SaleOrder',
    description: 'ERP (K/3 Cloud) form id; the local table is ERP_{formId}',
  })
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,55}$/, FORM_ID_RULE)
  formId!: string;

  @ApiProperty({
    enum: ERP_SYNC_MODES,
    description: 'create: drop and recreate the table, two years of rows; update: upsert the recent window',
  })
  @IsIn(ERP_SYNC_MODES)
  mode!: ErpSyncMode;
}

export class ErpSyncListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'SAL_SaleOrder' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,55}$/, FORM_ID_RULE)
  formId?: string;
}

export class ErpSyncRunDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'SAL_SaleOrder' }) formId!: string;
  @ApiProperty({ example: 'ERP_SAL_SaleOrder', description: 'the local table, in schema erp' })
  table!: string;
  @ApiProperty({ enum: ERP_SYNC_MODES }) mode!: ErpSyncMode;
  @ApiProperty({ enum: ERP_SYNC_STATUSES }) status!: string;
  @ApiProperty({ description: 'rows changed at or after this instant were read' }) windowFrom!: string;
  @ApiProperty() startedAt!: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: string | null;
  @ApiProperty() rowsRead!: number;
  @ApiProperty() rowsWritten!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ description: 'who started it (staff id or service:<serverID>)' }) triggeredBy!: string;
}

export function mapErpSyncRun(run: ErpSyncRunEntity): ErpSyncRunDto {
  return {
    id: run.id,
    formId: run.formId,
    table: `ERP_${run.formId}`,
    mode: run.mode,
    status: run.status,
    windowFrom: run.windowFrom.toISOString(),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    rowsRead: run.rowsRead,
    rowsWritten: run.rowsWritten,
    error: run.error,
    triggeredBy: run.triggeredBy,
  };
}
