import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ParseIdPipe } from '../shared/crm-dto';
import {
  CreateSmsTemplateDto,
  SmsDto,
  SmsListQueryDto,
  SmsTemplateDto,
  SmsUploadItemDto,
  UpdateSmsTemplateDto,
  UploadResultDto,
} from './sms.dto';
import { SmsService } from './sms.service';

@PlatformController('crm/sms-templates', 'crm: phone uploads')
export class SmsTemplatesController {
  constructor(private readonly sms: SmsService) {}

  @Get()
  @RequirePermissions('crm:phone')
  @ApiOperation({ summary: '短信模板 (seed 003)' })
  @ApiGuarded(SmsTemplateDto, { isArray: true })
  list(): Promise<SmsTemplateDto[]> {
    return this.sms.templates();
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:template')
  @ApiOperation({ summary: 'Create an SMS template' })
  @ApiGuarded(SmsTemplateDto)
  create(@CurrentActor() actor: Actor, @Body() dto: CreateSmsTemplateDto): Promise<SmsTemplateDto> {
    return this.sms.createTemplate(actor, dto);
  }

  @Patch(':id')
  @RequirePermissions('crm:template')
  @ApiOperation({ summary: 'Edit an SMS template' })
  @ApiGuarded(SmsTemplateDto, { errors: [ErrorCode.NotFound] })
  update(@Param('id', ParseIdPipe) id: string, @Body() dto: UpdateSmsTemplateDto): Promise<SmsTemplateDto> {
    return this.sms.updateTemplate(id, dto);
  }

  @Delete(':id')
  @RequirePermissions('crm:template')
  @ApiOperation({ summary: 'Delete an SMS template' })
  @ApiGuarded(SmsTemplateDto, { errors: [ErrorCode.NotFound] })
  remove(@Param('id', ParseIdPipe) id: string): Promise<SmsTemplateDto> {
    return this.sms.deleteTemplate(id);
  }
}

@PlatformController('crm/sms', 'crm: phone uploads')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  @Get()
  @RequirePermissions('crm:phone')
  @ApiOperation({
    summary: '短信列表: by salesperson code, customer code, customer mobile, uploader; newest first',
  })
  @ApiGuarded(SmsDto, { paged: true })
  list(@CurrentActor() actor: Actor, @Query() query: SmsListQueryDto): Promise<Page<SmsDto>> {
    return this.sms.list(actor, query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('crm:phone')
  @ApiOperation({
    summary:
      '同步手机短信: a JSON array of up to 1,000 messages, all validated (4101 naming `[i].field`) or none stored; replays add nothing',
  })
  @ApiBody({ type: [SmsUploadItemDto] })
  @ApiGuarded(UploadResultDto)
  upload(@CurrentActor() actor: Actor, @Body() body: unknown[]): Promise<UploadResultDto> {
    return this.sms.upload(actor, body);
  }
}
