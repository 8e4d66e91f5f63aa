import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, ErrorCode } from '@app/contracts';
import {
  ApiGuarded,
  ApiRawAnswer,
  IdempotencyKey,
  type Page,
  PageQueryDto,
  PlatformController,
  RawResponse,
} from '@app/common';
import { CurrentActor, RequirePermissions } from '@app/auth';
import { ChangeDto, ParseIdPipe } from '../crm/shared/crm-dto';
import {
  AddFieldDto,
  ChangeFieldDto,
  CreateModelDto,
  ExportQueryDto,
  FormKeyParamDto,
  FormSubmitDto,
  GroupCountDto,
  ModelDto,
  ModelListQueryDto,
  ModelVersionDto,
  RecordDto,
  RecordImportDto,
  RecordImportReplyDto,
  RecordListQueryDto,
  RecordPageDto,
  RecordValuesDto,
  SaveViewDto,
  StartedFlowDto,
  StartFlowDto,
  UpdateModelDto,
  UpdateRecordDto,
  ViewDto,
} from './data-models.dto';
import { RecordFlowsService } from './flows/record-flows.service';
import { RecordFormsService } from './forms/record-forms.service';
import { RecordCsvService } from './records/record-csv.service';
import { RecordsService } from './records/records.service';
import { ModelKeyPipe } from './schema/model-key.pipe';
import { ModelsService } from './schema/models.service';
import { ViewsService } from './views/views.service';

const ONE = [ErrorCode.NotFound];
const WRITE = [...ONE, ErrorCode.Conflict];

@PlatformController('data-models', 'data models: models')
export class ModelsController {
  constructor(private readonly models: ModelsService) {}

  @Get()
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Data models (seed 004 data modelling tool), by key' })
  @ApiGuarded(ModelDto, { paged: true })
  list(@Query() query: ModelListQueryDto): Promise<Page<ModelDto>> {
    return this.models.list(query);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('datamodel:design')
  @ApiOperation({
    summary:
      'Define a model: key, name, typed fields (required, unique, indexed, default, options), flow bindings',
  })
  @ApiGuarded(ModelDto, { errors: [ErrorCode.Conflict] })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateModelDto): Promise<ModelDto> {
    return this.models.create(actor, dto);
  }

  @Get(':key')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'One model with its fields (deprecated ones included) and version' })
  @ApiGuarded(ModelDto, { errors: ONE })
  get(@Param('key', ModelKeyPipe) key: string): Promise<ModelDto> {
    return this.models.get(key);
  }

  @Patch(':key')
  @RequirePermissions('datamodel:design')
  @ApiOperation({ summary: 'Rename the model, change its description or flow bindings (a new version)' })
  @ApiGuarded(ModelDto, { errors: WRITE })
  update(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Body() dto: UpdateModelDto,
  ): Promise<ModelDto> {
    return this.models.update(actor, key, dto);
  }

  @Post(':key/fields')
  @HttpCode(200)
  @RequirePermissions('datamodel:design')
  @ApiOperation({ summary: 'Add a field (a new version; existing records simply have no value for it)' })
  @ApiGuarded(ModelDto, { errors: WRITE })
  addField(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Body() dto: AddFieldDto,
  ): Promise<ModelDto> {
    return this.models.addField(actor, key, dto);
  }

  @Patch(':key/fields/:field')
  @RequirePermissions('datamodel:design')
  @ApiOperation({
    summary:
      'Rename, deprecate/restore a field or change its options, flags or default (never its type); values are kept',
  })
  @ApiGuarded(ModelDto, { errors: WRITE })
  changeField(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('field', ModelKeyPipe) field: string,
    @Body() dto: ChangeFieldDto,
  ): Promise<ModelDto> {
    return this.models.changeField(actor, key, field, dto);
  }

  @Get(':key/versions')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Schema audit trail: every version with what changed, who and when' })
  @ApiGuarded(ModelVersionDto, { paged: true, errors: ONE })
  versions(
    @Param('key', ModelKeyPipe) key: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ModelVersionDto>> {
    return this.models.versions(key, query);
  }

  @Get(':key/form-schema')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'A form-js schema of the live fields; its submitted data is a record’s `values`' })
  @ApiGuarded(null, { errors: ONE })
  formSchema(@Param('key', ModelKeyPipe) key: string): Promise<Record<string, unknown>> {
    return this.models.formSchema(key);
  }
}

@PlatformController('data-models/:key/forms', 'data models: records')
export class RecordFormsController {
  constructor(private readonly forms: RecordFormsService) {}

  @Post(':formKey/submit')
  @HttpCode(200)
  @RequirePermissions('datarecord:write')
  @ApiOperation({
    summary:
      'Submit a stored form-js form bound to the model (PATCH …/data-models/{key} `forms`): the data is checked against the form, mapped to fields and saved as a new record (or `recordId`); 4101 names each bad field as data.<form key>',
  })
  @ApiGuarded(RecordDto, { errors: WRITE })
  submit(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param() { formKey }: FormKeyParamDto,
    @Body() dto: FormSubmitDto,
  ): Promise<RecordDto> {
    return this.forms.submit(actor, key, formKey, dto);
  }
}

@PlatformController('data-models/:key/records', 'data models: records')
export class RecordsController {
  constructor(
    private readonly records: RecordsService,
    private readonly csv: RecordCsvService,
    private readonly flows: RecordFlowsService,
  ) {}

  @Get()
  @RequirePermissions('datarecord:read')
  @ApiOperation({
    summary:
      'Records within your data scope: `view` pages through a saved view; `filter` (JSON) and `sort` add to it; `total` is exact up to 6 pages from this one (`totalCapped: true` beyond; `hasMore` says whether a next page exists)',
  })
  @ApiGuarded(RecordPageDto, { errors: ONE })
  list(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Query() query: RecordListQueryDto,
  ): Promise<RecordPageDto> {
    return this.records.list(actor, key, query);
  }

  @Get('groups')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Record counts per value of the view’s group-by field (kanban lanes)' })
  @ApiGuarded(GroupCountDto, { isArray: true, errors: ONE })
  groups(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Query() query: RecordListQueryDto,
  ): Promise<GroupCountDto[]> {
    return this.records.groups(actor, key, query);
  }

  @Get('export')
  @RawResponse()
  @RequirePermissions('datarecord:export')
  @ApiOperation({
    summary: 'CSV of the records a view / filter / sort selects within your scope; never deleted ones',
  })
  @ApiRawAnswer('text/csv', 'The CSV (UTF-8)', { errors: [ErrorCode.NotFound] })
  async export(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Query() query: ExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const text = await this.csv.export(actor, key, query);
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${key}.csv"`);
    return text;
  }

  @Post('imports')
  @HttpCode(200)
  @RequirePermissions('datarecord:import', 'datarecord:write')
  @ApiOperation({ summary: 'Import records from CSV: dry run (per-row errors) or apply (all rows or none)' })
  @ApiGuarded(RecordImportReplyDto, { errors: ONE })
  import(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Body() dto: RecordImportDto,
  ): Promise<RecordImportReplyDto> {
    return this.csv.import(actor, key, dto);
  }

  @Get('imports/:id')
  @RequirePermissions('datarecord:import')
  @ApiOperation({ summary: 'An import: status, counts and per-row errors' })
  @ApiGuarded(RecordImportReplyDto, { errors: ONE })
  getImport(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<RecordImportReplyDto> {
    return this.csv.get(actor, key, id);
  }

  @Post('imports/:id/undo')
  @HttpCode(200)
  @RequirePermissions('datarecord:import', 'datarecord:write')
  @ApiOperation({ summary: 'Undo an applied import: the records it created are soft deleted' })
  @ApiGuarded(RecordImportReplyDto, { errors: WRITE })
  undoImport(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<RecordImportReplyDto> {
    return this.csv.undo(actor, key, id);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('datarecord:write')
  @ApiOperation({
    summary: 'Create a record (also the submit of the model’s form-js form); 4101 names each bad field',
  })
  @ApiGuarded(RecordDto, { errors: ONE })
  create(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Body() dto: RecordValuesDto,
  ): Promise<RecordDto> {
    return this.records.create(actor, key, dto.values);
  }

  @Get(':id')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'One record (404 outside your data scope)' })
  @ApiGuarded(RecordDto, { errors: ONE })
  get(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<RecordDto> {
    return this.records.get(actor, key, id);
  }

  @Patch(':id')
  @RequirePermissions('datarecord:write')
  @ApiOperation({ summary: 'Change some values (null clears one); `version` guards against lost updates' })
  @ApiGuarded(RecordDto, { errors: WRITE })
  update(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: UpdateRecordDto,
  ): Promise<RecordDto> {
    return this.records.update(actor, key, id, dto.values, dto.version);
  }

  @Delete(':id')
  @RequirePermissions('datarecord:write')
  @ApiOperation({ summary: 'Soft delete (restorable)' })
  @ApiGuarded(RecordDto, { errors: WRITE })
  remove(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<RecordDto> {
    return this.records.setDeleted(actor, key, id, true);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @RequirePermissions('datarecord:write')
  @ApiOperation({ summary: 'Restore a deleted record' })
  @ApiGuarded(RecordDto, { errors: WRITE })
  restore(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<RecordDto> {
    return this.records.setDeleted(actor, key, id, false);
  }

  @Get(':id/changes')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Change log of the record: who changed which fields, old and new values' })
  @ApiGuarded(ChangeDto, { paged: true, errors: ONE })
  changes(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
    @Query() page: PageQueryDto,
  ): Promise<Page<ChangeDto>> {
    return this.records.history(actor, key, id, page);
  }

  @Post(':id/start')
  @HttpCode(200)
  @RequirePermissions('datarecord:write')
  @ApiOperation({
    summary:
      'Start a work order (default) or a process from the record; variables mapped by the model’s flow binding',
  })
  @ApiGuarded(StartedFlowDto, { errors: [...WRITE, ErrorCode.WorkflowUnavailable] })
  start(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: StartFlowDto,
    @IdempotencyKey() idempotencyKey?: string,
  ): Promise<StartedFlowDto> {
    return this.flows.start(actor, key, id, dto, idempotencyKey);
  }
}

@PlatformController('data-models/:key/views', 'data models: views')
export class ViewsController {
  constructor(private readonly views: ViewsService) {}

  @Get()
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Views of the model I may use: shared ones and my own' })
  @ApiGuarded(ViewDto, { isArray: true, errors: ONE })
  list(@CurrentActor() actor: Actor, @Param('key', ModelKeyPipe) key: string): Promise<ViewDto[]> {
    return this.views.list(actor, key);
  }

  @Post()
  @HttpCode(200)
  @RequirePermissions('datarecord:read')
  @ApiOperation({
    summary:
      'Save a table or kanban view: columns (order, width, visible), filter (and/or groups), sorts, group-by',
  })
  @ApiGuarded(ViewDto, { errors: ONE })
  create(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Body() dto: SaveViewDto,
  ): Promise<ViewDto> {
    return this.views.create(actor, key, dto);
  }

  @Get(':id')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'One view (404 if it is someone else’s personal view)' })
  @ApiGuarded(ViewDto, { errors: ONE })
  get(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<ViewDto> {
    return this.views.get(actor, key, id);
  }

  @Patch(':id')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Replace a view’s settings (its owner; a shared view: also designers)' })
  @ApiGuarded(ViewDto, { errors: ONE })
  update(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
    @Body() dto: SaveViewDto,
  ): Promise<ViewDto> {
    return this.views.update(actor, key, id, dto);
  }

  @Delete(':id')
  @RequirePermissions('datarecord:read')
  @ApiOperation({ summary: 'Delete a view (its owner; a shared view: also designers)' })
  @ApiGuarded(null, { errors: ONE })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('key', ModelKeyPipe) key: string,
    @Param('id', ParseIdPipe) id: string,
  ): Promise<null> {
    await this.views.remove(actor, key, id);
    return null;
  }
}
