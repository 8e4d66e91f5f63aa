import { Body, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { Actor } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { UploadResultDto } from '../sms/sms.dto';
import { CallDto, CallListQueryDto, CallUploadItemDto } from './calls.dto';
import { CallsService } from './calls.service';

@PlatformController('crm/calls', 'crm: phone uploads')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Get()
  @RequirePermissions('crm:phone')
  @ApiOperation({ summary: 'Call records within your data scope; newest first' })
  @ApiGuarded(CallDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: CallListQueryDto): Promise<Page<CallDto>> {
    return this.calls.list(actor, query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:phone')
  @ApiOperation({
    summary:
      '同步手机通话记录: a JSON array of up to 1,000 calls, all validated (4101 naming `[i].field`) or none stored; replays add nothing',
  })
  @ApiBody({ type: [CallUploadItemDto] })
  @ApiGuarded(UploadResultDto)
  upload(@CurrentActor() actor: Actor, @Body() body: unknown[]): Promise<UploadResultDto> {
    return this.calls.upload(actor, body);
  }
}
