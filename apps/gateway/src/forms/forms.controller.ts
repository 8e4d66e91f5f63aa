import { Body, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation } from '@nestjs/swagger';
import {
  ErrorCode,
  FormReply,
  GetFormCommand,
  ListFormsCommand,
  ProcessFormCommand,
  ProcessFormReply,
  SaveFormCommand,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import { ApiEnvelope, ApiWorkflowCommand, PlatformController } from '@app/common';
import { WorkflowClient } from '../workflow-client/workflow.client';
import {
  DefinitionIdParam,
  FormKeyParam,
  FormVersionQueryDto,
  ListFormsQueryDto,
  ProcessFormQueryDto,
  SaveFormBodyDto,
  SaveFormVersionBodyDto,
} from './forms.dto';

@ApiBearerAuth()
@PlatformController('forms', 'forms')
export class FormsController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({ summary: 'Forms (newest version of each key)' })
  @ApiEnvelope(FormReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ListFormsQueryDto) {
    return this.workflow.send(WorkflowPattern.FormList, ListFormsCommand.create({ ...query, actor }));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Save a form-js schema: version 1 of a new key or the next version (form:write or workflow:deploy)',
  })
  @ApiWorkflowCommand(FormReply)
  save(@CurrentActor() actor: Actor, @Body() body: SaveFormBodyDto) {
    return this.workflow.send(WorkflowPattern.FormSave, SaveFormCommand.create({ ...body, actor }));
  }

  @Get('process')
  @ApiOperation({
    summary:
      'Get process form (S004-34/35): start form of a definition, or an instance’s current form and data',
  })
  @ApiWorkflowCommand(ProcessFormReply)
  processForm(@CurrentActor() actor: Actor, @Query() query: ProcessFormQueryDto) {
    return this.workflow.send(WorkflowPattern.ProcessForm, ProcessFormCommand.create({ ...query, actor }));
  }

  @Get(':formKey')
  @ApiOperation({ summary: 'A form: newest version, or ?version=n' })
  @ApiWorkflowCommand(FormReply)
  get(
    @CurrentActor() actor: Actor,
    @Param() { formKey }: FormKeyParam,
    @Query() { version }: FormVersionQueryDto,
  ) {
    return this.workflow.send(WorkflowPattern.FormGet, GetFormCommand.create({ formKey, version, actor }));
  }

  @Get(':formKey/versions')
  @ApiOperation({ summary: 'Every version of a form, newest first' })
  @ApiWorkflowCommand(FormReply, { isArray: true })
  versions(@CurrentActor() actor: Actor, @Param() { formKey }: FormKeyParam) {
    return this.workflow.send(WorkflowPattern.FormVersions, GetFormCommand.create({ formKey, actor }));
  }

  @Post(':formKey/versions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Save the next version of a form' })
  @ApiWorkflowCommand(FormReply)
  saveVersion(
    @CurrentActor() actor: Actor,
    @Param() { formKey }: FormKeyParam,
    @Body() body: SaveFormVersionBodyDto,
  ) {
    return this.workflow.send(WorkflowPattern.FormSave, SaveFormCommand.create({ ...body, formKey, actor }));
  }
}

@ApiBearerAuth()
@PlatformController('workflow/definitions', 'forms')
export class DefinitionFormController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get(':id/form')
  @ApiOperation({ summary: 'The start form of a definition version (form-js schema)' })
  @ApiWorkflowCommand(ProcessFormReply)
  form(@CurrentActor() actor: Actor, @Param() { id }: DefinitionIdParam) {
    return this.workflow.send(
      WorkflowPattern.ProcessForm,
      ProcessFormCommand.create({ definitionId: id, actor }),
    );
  }
}
