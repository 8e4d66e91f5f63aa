import { Body, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam } from '@nestjs/swagger';
import { Actor, ErrorCode } from '@app/contracts';
import { ApiEnvelope, ApiGuarded, type Page, PlatformController } from '@app/common';
import { CurrentActor, RequirePermissions, StaffOnly } from '@app/auth';
import { ParseIdPipe } from '../../shared/dto-helpers';
import {
  EventTypeDto,
  PreviewDto,
  PreviewTemplateDto,
  SaveTemplateDto,
  SetTemplateActiveDto,
  TemplateDto,
  TemplateQueryDto,
} from '../templates/template.dto';
import { TemplatesService } from '../templates/templates.service';
import {
  ChannelConfigDto,
  DefaultChoiceDto,
  FilterCheckDto,
  FilterResultDto,
  MyPreferencesDto,
  SaveChannelConfigDto,
  SaveDefaultsDto,
  SaveMyPreferencesDto,
  SendDto,
  SendQueryDto,
  SensitiveWordsDto,
} from './centre.dto';
import { CentreService } from './centre.service';

@ApiBearerAuth()
@PlatformController('messages', 'messages: centre')
export class MessageCentreController {
  constructor(
    private readonly templates: TemplatesService,
    private readonly centre: CentreService,
  ) {}

  @Get('event-types')
  @RequirePermissions('message:read')
  @ApiOperation({
    summary:
      'Event types a template can be written for, their variables (with samples) and the masking strategies',
  })
  @ApiGuarded(EventTypeDto, { isArray: true })
  eventTypes(): EventTypeDto[] {
    return this.templates.eventTypes();
  }

  @Get('templates')
  @RequirePermissions('message:read')
  @ApiOperation({
    summary: 'Templates: the version in use per event, channel and language, or every version',
  })
  @ApiGuarded(TemplateDto, { paged: true })
  listTemplates(@Query() query: TemplateQueryDto): Promise<Page<TemplateDto>> {
    return this.templates.list(query);
  }

  @Post('templates')
  @HttpCode(200)
  @RequirePermissions('message:write')
  @ApiOperation({
    summary:
      'Save a template: its variables and masked fields are checked against the event type (4101 naming each), and it becomes the next version',
  })
  @ApiGuarded(TemplateDto)
  saveTemplate(@CurrentActor() actor: Actor, @Body() dto: SaveTemplateDto): Promise<TemplateDto> {
    return this.templates.save(actor, dto);
  }

  @Post('templates/preview')
  @HttpCode(200)
  @RequirePermissions('message:read')
  @ApiOperation({
    summary: 'Render a template with sample (or given) data, masks and the sensitive-word filter applied',
  })
  @ApiGuarded(PreviewDto)
  preview(@Body() dto: PreviewTemplateDto): Promise<PreviewDto> {
    return this.templates.preview(dto);
  }

  @Get('templates/:id')
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'One message template with its content' })
  @ApiGuarded(TemplateDto, { errors: [ErrorCode.NotFound] })
  getTemplate(@Param('id', ParseIdPipe) id: string): Promise<TemplateDto> {
    return this.templates.get(id);
  }

  @Patch('templates/:id')
  @RequirePermissions('message:write')
  @ApiOperation({ summary: 'Switch a version off (the highest active version is used) or on again' })
  @ApiGuarded(TemplateDto, { errors: [ErrorCode.NotFound] })
  setActive(@Param('id', ParseIdPipe) id: string, @Body() dto: SetTemplateActiveDto): Promise<TemplateDto> {
    return this.templates.setActive(id, dto.active);
  }

  @Get('channels')
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'Channels and their settings (secrets shown as ***)' })
  @ApiGuarded(ChannelConfigDto, { isArray: true })
  channels(): Promise<ChannelConfigDto[]> {
    return this.centre.channels();
  }

  @Put('channels/:channel')
  @RequirePermissions('message:write')
  @ApiParam({ name: 'channel', enum: ['email', 'sms', 'dingtalk', 'wecom'] })
  @ApiOperation({
    summary: 'Configure and switch on/off a channel (SMTP server, SMS account, robot URL and secret)',
  })
  @ApiGuarded(ChannelConfigDto, { errors: [ErrorCode.NotFound] })
  saveChannel(
    @CurrentActor() actor: Actor,
    @Param('channel') channel: string,
    @Body() dto: SaveChannelConfigDto,
  ): Promise<ChannelConfigDto> {
    return this.centre.saveChannel(actor, channel, dto);
  }

  @Get('sensitive-words')
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'Words the free-text filter hides' })
  @ApiGuarded(SensitiveWordsDto)
  async words(): Promise<SensitiveWordsDto> {
    return { words: await this.centre.words() };
  }

  @Put('sensitive-words')
  @RequirePermissions('message:write')
  @ApiOperation({ summary: 'Replace the sensitive-word list' })
  @ApiGuarded(SensitiveWordsDto)
  async saveWords(@Body() dto: SensitiveWordsDto): Promise<SensitiveWordsDto> {
    return { words: await this.centre.saveWords(dto.words) };
  }

  @Post('sensitive-words/check')
  @HttpCode(200)
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'Run the filter over a text: the filtered text and the words found' })
  @ApiGuarded(FilterResultDto)
  check(@Body() dto: FilterCheckDto): Promise<FilterResultDto> {
    return this.centre.check(dto.text);
  }

  @Get('preference-defaults')
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'Administrators’ defaults per event and channel (members’ own choices win)' })
  @ApiGuarded(DefaultChoiceDto, { isArray: true })
  defaults(): Promise<DefaultChoiceDto[]> {
    return this.centre.defaults();
  }

  @Put('preference-defaults')
  @RequirePermissions('message:write')
  @ApiOperation({
    summary: 'Set defaults per event and channel; dingtalk/wecom here switch the group robots on per event',
  })
  @ApiGuarded(DefaultChoiceDto, { isArray: true })
  saveDefaults(@Body() dto: SaveDefaultsDto): Promise<DefaultChoiceDto[]> {
    return this.centre.saveDefaults(dto.choices);
  }

  @Get('preferences')
  @StaffOnly()
  @ApiOperation({
    summary: 'My channels per event (with where each choice comes from), my e-mail, mobile and language',
  })
  @ApiEnvelope(MyPreferencesDto, { errors: [ErrorCode.InvalidToken] })
  myPreferences(@CurrentActor() actor: Actor): Promise<MyPreferencesDto> {
    return this.centre.myPreferences(actor);
  }

  @Put('preferences')
  @StaffOnly()
  @ApiOperation({
    summary: 'Choose which events reach me on which channels; set my e-mail, mobile, language',
  })
  @ApiEnvelope(MyPreferencesDto, { errors: [ErrorCode.InvalidToken] })
  saveMyPreferences(
    @CurrentActor() actor: Actor,
    @Body() dto: SaveMyPreferencesDto,
  ): Promise<MyPreferencesDto> {
    return this.centre.saveMyPreferences(actor, dto);
  }

  @Get('sends')
  @RequirePermissions('message:read')
  @ApiOperation({
    summary:
      'Send records (one per message, recipient and channel, every attempt in `log`), newest first, with filters',
  })
  @ApiGuarded(SendDto, { paged: true })
  sends(@Query() query: SendQueryDto): Promise<Page<SendDto>> {
    return this.centre.sends(query);
  }

  @Get('sends/:id')
  @RequirePermissions('message:read')
  @ApiOperation({ summary: 'One send with its attempt log' })
  @ApiGuarded(SendDto, { errors: [ErrorCode.NotFound] })
  send(@Param('id', ParseIdPipe) id: string): Promise<SendDto> {
    return this.centre.send(id);
  }

  @Post('sends/:id/resend')
  @HttpCode(200)
  @RequirePermissions('message:write')
  @ApiOperation({
    summary: 'Send a failed message again (fresh attempts; the log keeps the old ones); 4090 unless failed',
  })
  @ApiGuarded(SendDto, { errors: [ErrorCode.NotFound, ErrorCode.Conflict] })
  resend(@Param('id', ParseIdPipe) id: string): Promise<SendDto> {
    return this.centre.resend(id);
  }
}
