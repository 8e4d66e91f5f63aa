import { Get, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { Actor } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { AuditLogDto, AuditLogQueryDto } from './audit.dto';
import { AuditQueryService } from './audit-query.service';

@PlatformController('audit-logs', 'identity: audit')
export class AuditController {
  constructor(private readonly audit: AuditQueryService) {}

  @Get()
  @RequirePermissions('audit:read')
  @ApiOperation({
    summary:
      'Sign-ins, failed sign-ins, password changes and resets, role, grant and status changes (newest first)',
  })
  @ApiGuarded(AuditLogDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: AuditLogQueryDto): Promise<Page<AuditLogDto>> {
    return this.audit.list(actor, query);
  }
}
