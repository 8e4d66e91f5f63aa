import { Body, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import { CreateImportDto, ImportDto } from './import.dto';
import { ImportsService } from './imports.service';

@PlatformController('crm/imports', 'crm: import and export')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:import', 'crm:write')
  @ApiOperation({
    summary:
      'Import organizations or customers from CSV: dry run (per-row errors) or apply (all rows or none)',
  })
  @ApiGuarded(ImportDto)
  run(@CurrentActor() actor: Actor, @Body() dto: CreateImportDto): Promise<ImportDto> {
    return this.imports.run(actor, dto);
  }

  @Get(':id')
  @RequirePermissions('crm:import')
  @ApiOperation({ summary: 'An import: status, counts and per-row errors' })
  @ApiGuarded(ImportDto, { errors: [ErrorCode.NotFound] })
  get(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ImportDto> {
    return this.imports.get(actor, id);
  }

  @Post(':id/undo')
  @HttpCode(200)
  @RequirePermissions('crm:import', 'crm:write')
  @ApiOperation({ summary: 'Undo an applied import: created records soft deleted, updated fields put back' })
  @ApiGuarded(ImportDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  undo(@CurrentActor() actor: Actor, @Param('id', ParseIdPipe) id: string): Promise<ImportDto> {
    return this.imports.undo(actor, id);
  }
}
