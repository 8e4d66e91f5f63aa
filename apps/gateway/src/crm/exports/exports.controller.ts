import type { Readable } from 'node:stream';
import { Get, Injectable, Param, type PipeTransform, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiRawAnswer, AppException, PlatformController, RawResponse } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { EXPORT_ENTITIES, type ExportEntity, ExportsService } from './exports.service';

/** An unknown list name cannot name anything to export: 404 like an unknown path. */
@Injectable()
class ExportEntityPipe implements PipeTransform<string, ExportEntity> {
  transform(value: string): ExportEntity {
    if (!(EXPORT_ENTITIES as readonly string[]).includes(value)) throw AppException.notFound('export', value);
    return value as ExportEntity;
  }
}

@PlatformController('crm/exports', 'crm: import and export')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get(':entity')
  @RawResponse()
  @RequirePermissions('crm:export', 'crm:read')
  @ApiOperation({
    summary:
      'CSV of a CRM list with that list’s filters (query string), within your data scope; never deleted records',
  })
  @ApiParam({ name: 'entity', enum: EXPORT_ENTITIES })
  @ApiRawAnswer('text/csv', 'The CSV (UTF-8)', { errors: [ErrorCode.NotFound] })
  async export(
    @CurrentActor() actor: Actor,
    @Param('entity', ExportEntityPipe) entity: ExportEntity,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Readable> {
    const csv = await this.exports.export(actor, entity, query);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${entity}.csv"`);
    return csv;
  }
}
