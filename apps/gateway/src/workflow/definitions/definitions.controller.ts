import {
  Body,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation } from '@nestjs/swagger';
import type { UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import {
  CategoryReply,
  CheckDefinitionCommand,
  DefinitionCheckReply,
  DefinitionReply,
  DefinitionXmlReply,
  DeleteCategoryCommand,
  DeployDefinitionCommand,
  ErrorCode,
  GetDefinitionCommand,
  IdRef,
  ListCategoriesCommand,
  ListDefinitionsCommand,
  SaveCategoryCommand,
  UpdateDefinitionCommand,
  WorkflowPattern,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import {
  ApiEnvelope,
  ApiWorkflowCommand,
  AppException,
  PlatformController,
  UploadRefusals,
  AcceptsMultipart,
} from '@app/common';
import { BufferedFileUpload } from '../../uploads/file-upload';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { DefinitionListCache } from './definition-list.cache';
import { DefinitionReferencesRepository } from './definition-references.repository';
import {
  CheckDefinitionBodyDto,
  DeployDefinitionBodyDto,
  ListDefinitionsQueryDto,
  SaveCategoryBodyDto,
  UpdateDefinitionBodyDto,
} from './definitions.dto';

const MAX_BPMN_BYTES = 5 * 1024 * 1024;

@ApiBearerAuth()
@PlatformController('workflow', 'workflow: definitions')
export class DefinitionsController {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly references: DefinitionReferencesRepository,
    private readonly listed: DefinitionListCache,
  ) {}

  @Post('definitions/check')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a definition before deploying it; nothing is stored (requires workflow:deploy)',
    description:
      'Every check of deploy (XML, elements, expressions and conditions, due dates, countersign settings) plus: ' +
      'each literal formKey names an existing form, each literal assignee / candidate user is an enabled member ' +
      '(id or sign-in name), each candidate group an existing group, role or department. ' +
      'Refused with 4101, one error per problem: `field` = `xml#<elementId>`, `reason` says what is wrong.',
  })
  @ApiEnvelope(DefinitionCheckReply, {
    errors: [ErrorCode.InvalidParameter, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  async check(
    @CurrentActor() actor: Actor,
    @Body() body: CheckDefinitionBodyDto,
  ): Promise<DefinitionCheckReply> {
    const checked = await this.workflow.send(
      WorkflowPattern.DefinitionCheck,
      CheckDefinitionCommand.create({ xml: body.xml, actor }),
    );
    const unknown = await this.references.unknown(checked.references);
    if (unknown.length)
      throw AppException.invalid(
        unknown.map((r) => ({
          field: `xml#${r.elementId}`,
          reason: `${r.attribute} '${r.value}': no such ${r.kind === 'user' ? 'enabled member' : 'group, role or department'}`,
        })),
      );
    return checked;
  }

  @Post('deployments')
  @AcceptsMultipart()
  @UseInterceptors(new UploadRefusals('5 MiB'), BufferedFileUpload(MAX_BPMN_BYTES, '5 MiB'))
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description:
      'multipart: field `file` (the .bpmn / .bpmn20.xml) plus optional text fields; or JSON with `xml`',
    type: DeployDefinitionBodyDto,
  })
  @ApiOperation({
    summary: 'Deploy BPMN 2.0 XML as a new immutable version of its process key (requires workflow:deploy)',
    description:
      'Refused with 4101 naming the element and the reason: malformed XML, no start event, script tasks, ' +
      '`language=` conditions, Java delegates / listeners, unsupported elements, unsafe expressions.',
  })
  @ApiEnvelope(DefinitionReply, { errors: [ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable] })
  deploy(
    @CurrentActor() actor: Actor,
    @Body() body: DeployDefinitionBodyDto,
    @UploadedFile() file?: UploadedMultipartFile,
  ): Promise<DefinitionReply> {
    if (file && body?.xml !== undefined)
      throw AppException.invalid([
        { field: 'xml', reason: 'send the BPMN once: as multipart field `file` or as `xml`, not both' },
      ]);
    const xml = file?.buffer?.toString('utf8') ?? body?.xml;
    if (!xml)
      throw AppException.invalid([
        { field: 'file', reason: 'send the BPMN as multipart field `file` or JSON `xml`' },
      ]);
    const command = DeployDefinitionCommand.create({
      ...body,
      xml,
      resourceName: body?.resourceName ?? file?.originalname,
      actor,
    });
    return this.listed.forgetAfter(this.workflow.send(WorkflowPattern.DefinitionDeploy, command));
  }

  @Get('definitions')
  @ApiOperation({
    summary:
      'Deployed definitions, newest version first per key (filters: key, name, category, latest, startable)',
  })
  @ApiEnvelope(DefinitionReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ListDefinitionsQueryDto) {
    const { startable, ...rest } = query;
    const command = ListDefinitionsCommand.create({ ...rest, startableOnly: startable, actor });
    return this.listed.list(command, () => this.workflow.send(WorkflowPattern.DefinitionList, command));
  }

  @Get('definitions/:id')
  @ApiOperation({ summary: 'One deployed definition version' })
  @ApiEnvelope(DefinitionReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  get(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.DefinitionGet, GetDefinitionCommand.create({ id, actor }));
  }

  @Get('definitions/:id/xml')
  @ApiOperation({ summary: 'The BPMN XML exactly as deployed' })
  @ApiEnvelope(DefinitionXmlReply, { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  xml(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.DefinitionXml, GetDefinitionCommand.create({ id, actor }));
  }

  @Patch('definitions/:id')
  @ApiOperation({
    summary: 'Suspend / activate a definition or change its category (requires workflow:deploy)',
  })
  @ApiEnvelope(DefinitionReply, {
    errors: [ErrorCode.NotFound, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  update(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: UpdateDefinitionBodyDto) {
    return this.listed.forgetAfter(
      this.workflow.send(
        WorkflowPattern.DefinitionUpdate,
        UpdateDefinitionCommand.create({ ...body, id, actor }),
      ),
    );
  }

  @Get('categories')
  @ApiOperation({ summary: 'Definition categories' })
  @ApiEnvelope(CategoryReply, { isArray: true, errors: [ErrorCode.WorkflowUnavailable] })
  categories(@CurrentActor() actor: Actor) {
    return this.workflow.send(WorkflowPattern.CategoryList, ListCategoriesCommand.create({ actor }));
  }

  @Post('categories')
  @ApiOperation({ summary: 'Create a definition category' })
  @ApiEnvelope(CategoryReply, {
    errors: [ErrorCode.Conflict, ErrorCode.NoPermission, ErrorCode.WorkflowUnavailable],
  })
  createCategory(@CurrentActor() actor: Actor, @Body() body: SaveCategoryBodyDto) {
    return this.workflow.send(WorkflowPattern.CategorySave, SaveCategoryCommand.create({ ...body, actor }));
  }

  @Put('categories/:id')
  @ApiOperation({ summary: 'Update a definition category' })
  @ApiWorkflowCommand(CategoryReply)
  updateCategory(@CurrentActor() actor: Actor, @Param() { id }: IdRef, @Body() body: SaveCategoryBodyDto) {
    return this.workflow.send(
      WorkflowPattern.CategorySave,
      SaveCategoryCommand.create({ ...body, id, actor }),
    );
  }

  @Delete('categories/:id')
  @ApiOperation({ summary: 'Delete a definition category' })
  @ApiWorkflowCommand(null)
  deleteCategory(@CurrentActor() actor: Actor, @Param() { id }: IdRef) {
    return this.workflow.send(WorkflowPattern.CategoryDelete, DeleteCategoryCommand.create({ id, actor }));
  }
}
