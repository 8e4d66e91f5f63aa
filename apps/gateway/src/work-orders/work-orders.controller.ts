import { Body, Delete, Get, Header, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation } from '@nestjs/swagger';
import {
  AuditWorkOrderCommand,
  ClassificationRefCommand,
  CloseWorkOrderCommand,
  CreateWorkOrderCommand,
  DeployTemplateCommand,
  ErrorCode,
  EvaluateWorkOrderCommand,
  HandleWorkOrderCommand,
  InterveneWorkOrderCommand,
  LaunchWorkOrderCommand,
  ListClassificationCommand,
  ListWorkOrdersCommand,
  SaveWorkOrderCategoryCommand,
  SaveWorkOrderTypeCommand,
  TemplateReply,
  WorkflowPattern,
  WorkOrderCategoryReply,
  WorkOrderDetailReply,
  WorkOrderRefCommand,
  WorkOrderReply,
  WorkOrderTypeReply,
} from '@app/contracts';
import { Actor, CurrentActor } from '@app/auth';
import {
  ApiEnvelope,
  ApiRawAnswer,
  ApiWorkflowCommand,
  IdempotencyKey,
  PlatformController,
  RawResponse,
} from '@app/common';
import { ApiFormFieldQuery, type FormFieldQuery, FormFields } from '../workflow/form-field-query';
import { WorkflowClient } from '../workflow-client/workflow.client';
import { AttachmentsService } from '../attachments/attachments.service';
import { DepartmentManagers } from './department-managers';
import {
  AuditWorkOrderBodyDto,
  CloseWorkOrderBodyDto,
  CreateWorkOrderBodyDto,
  EvaluateWorkOrderBodyDto,
  HandleWorkOrderBodyDto,
  WorkOrderIdParam,
  InterveneWorkOrderBodyDto,
  LaunchWorkOrderBodyDto,
  ListWorkOrdersQueryDto,
  ClassificationPageQueryDto,
  SaveWorkOrderCategoryBodyDto,
  SaveWorkOrderTypeBodyDto,
} from './work-orders.dto';

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result',
};
@ApiBearerAuth()
@PlatformController('work-orders', 'work orders')
export class WorkOrdersController {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly managers: DepartmentManagers,
    private readonly attachments: AttachmentsService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY)
  @ApiOperation({
    summary:
      'Create a work order (seed 004 创建工单): its form data is checked against the start form, then its process starts (or `draft: true` saves it)',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  async create(
    @CurrentActor() actor: Actor,
    @Body() body: CreateWorkOrderBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    await this.attachments.assertReferencesVisible(actor, body.attachmentUrls, 'attachmentUrls');
    return this.workflow.send(
      WorkflowPattern.WorkOrderCreate,
      CreateWorkOrderCommand.create({ ...body, actor, idempotencyKey }),
    );
  }

  @Post('launch')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY)
  @ApiOperation({
    summary:
      'Seed 002 发起流程: start a saved work order (dataId) by flow code, with its serial number (generated when absent)',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  launch(
    @CurrentActor() actor: Actor,
    @Body() body: LaunchWorkOrderBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderLaunch,
      LaunchWorkOrderCommand.create({ ...body, actor, idempotencyKey }),
    );
  }

  @Get()
  @ApiOperation({
    summary:
      'Work orders I may see: filters by status, category, type, system, project, process, keyword, creation time, form fields (formField.<key>[<op>]; formFields shows them)',
  })
  @ApiFormFieldQuery('work order form data')
  @ApiEnvelope(WorkOrderReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(
    @CurrentActor() actor: Actor,
    @Query() query: ListWorkOrdersQueryDto,
    @FormFields() formFields: FormFieldQuery,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderList,
      ListWorkOrdersCommand.create({ ...query, ...formFields, actor }),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Detail with its timeline (nodes, comments, close) and open tasks' })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  get(@CurrentActor() actor: Actor, @Param() { id }: WorkOrderIdParam) {
    return this.workflow.send(WorkflowPattern.WorkOrderGet, WorkOrderRefCommand.create({ id, actor }));
  }

  @Post(':id/handle')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY)
  @ApiOperation({
    summary:
      'Handle an open task: data checked against the task’s form (4101 per field), then the task completes',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  handle(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: HandleWorkOrderBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderHandle,
      HandleWorkOrderCommand.create({ ...body, id, actor, idempotencyKey }),
    );
  }

  @Post(':id/audit')
  @HttpCode(200)
  @ApiHeader(IDEMPOTENCY)
  @ApiOperation({
    summary:
      'Seed 002 流程审批: complete my audit task; taskDeptManager opens a task per department manager; nextNodeSeq jumps to a node',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  async audit(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: AuditWorkOrderBodyDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    const { taskDeptManager, ...rest } = body;
    const managerIds = await this.managers.resolve(taskDeptManager ?? []);
    return this.workflow.send(
      WorkflowPattern.WorkOrderAudit,
      AuditWorkOrderCommand.create({ ...rest, managerIds, id, actor, idempotencyKey }),
    );
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close (工单关闭): stops a running process; creator or admin' })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  close(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: CloseWorkOrderBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderClose,
      CloseWorkOrderCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/evaluate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Evaluate (评价) a finished work order, once, by its creator: score 1–5 and a comment',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  evaluate(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: EvaluateWorkOrderBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderEvaluate,
      EvaluateWorkOrderCommand.create({ ...body, id, actor }),
    );
  }

  @Post(':id/intervene')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Admin intervention (工单干预): reassign a task, terminate the process, or jump to a node (workorder:admin)',
  })
  @ApiWorkflowCommand(WorkOrderDetailReply)
  intervene(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: InterveneWorkOrderBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderIntervene,
      InterveneWorkOrderCommand.create({ ...body, id, actor }),
    );
  }

  @Get(':id/print')
  @RawResponse()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
  @ApiRawAnswer('text/html', 'The page', { errors: [ErrorCode.NotFound, ErrorCode.WorkflowUnavailable] })
  @ApiOperation({ summary: 'Printable view (工单打印): an HTML page with a print stylesheet' })
  async print(@CurrentActor() actor: Actor, @Param() { id }: WorkOrderIdParam): Promise<string> {
    const { html } = await this.workflow.send(
      WorkflowPattern.WorkOrderPrint,
      WorkOrderRefCommand.create({ id, actor }),
    );
    return html;
  }
}

@ApiBearerAuth()
@PlatformController('work-order-types', 'work orders')
export class WorkOrderTypesController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({ summary: 'App work-order types (seed 004 WorkOrder/app/list)' })
  @ApiEnvelope(WorkOrderTypeReply, { paged: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor, @Query() query: ClassificationPageQueryDto) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTypeList,
      ListClassificationCommand.create({ ...query, actor }),
    );
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a type bound to a process (workorder:admin)' })
  @ApiWorkflowCommand(WorkOrderTypeReply)
  create(@CurrentActor() actor: Actor, @Body() body: SaveWorkOrderTypeBodyDto) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTypeSave,
      SaveWorkOrderTypeCommand.create({ ...body, actor }),
    );
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Edit a type (workorder:admin)' })
  @ApiWorkflowCommand(WorkOrderTypeReply)
  update(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: SaveWorkOrderTypeBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTypeSave,
      SaveWorkOrderTypeCommand.create({ ...body, id, actor }),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an unused type (workorder:admin)' })
  @ApiWorkflowCommand(null)
  remove(@CurrentActor() actor: Actor, @Param() { id }: WorkOrderIdParam) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTypeDelete,
      ClassificationRefCommand.create({ id, actor }),
    );
  }
}

@ApiBearerAuth()
@PlatformController('work-order-categories', 'work orders')
export class WorkOrderCategoriesController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({ summary: 'Synthesis categories as a tree (seed 004 synthesis/list)' })
  @ApiEnvelope(WorkOrderCategoryReply, { isArray: true, errors: [ErrorCode.WorkflowUnavailable] })
  tree(@CurrentActor() actor: Actor) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderCategoryTree,
      ListClassificationCommand.create({ actor, pageNum: 1, pageSize: 200 }),
    );
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a category (workorder:admin)' })
  @ApiWorkflowCommand(WorkOrderCategoryReply)
  create(@CurrentActor() actor: Actor, @Body() body: SaveWorkOrderCategoryBodyDto) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderCategorySave,
      SaveWorkOrderCategoryCommand.create({ ...body, actor }),
    );
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, move (no cycles) or rebind a category (workorder:admin)' })
  @ApiWorkflowCommand(WorkOrderCategoryReply)
  update(
    @CurrentActor() actor: Actor,
    @Param() { id }: WorkOrderIdParam,
    @Body() body: SaveWorkOrderCategoryBodyDto,
  ) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderCategorySave,
      SaveWorkOrderCategoryCommand.create({ ...body, id, actor }),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a leaf category no work order uses (workorder:admin)' })
  @ApiWorkflowCommand(null)
  remove(@CurrentActor() actor: Actor, @Param() { id }: WorkOrderIdParam) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderCategoryDelete,
      ClassificationRefCommand.create({ id, actor }),
    );
  }
}

@ApiBearerAuth()
@PlatformController('work-order-templates', 'work orders')
export class WorkOrderTemplatesController {
  constructor(private readonly workflow: WorkflowClient) {}

  @Get()
  @ApiOperation({
    summary: 'Built-in flows with their forms (seed 000 opportunity report, seed 002 launch model)',
  })
  @ApiEnvelope(TemplateReply, { isArray: true, errors: [ErrorCode.WorkflowUnavailable] })
  list(@CurrentActor() actor: Actor) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTemplateList,
      ListClassificationCommand.create({ actor, pageNum: 1, pageSize: 200 }),
    );
  }

  @Post(':key/deploy')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Deploy a built-in flow: a new version of its forms and of its process definition (workflow:deploy)',
  })
  @ApiWorkflowCommand(TemplateReply)
  deploy(@CurrentActor() actor: Actor, @Param('key') key: string) {
    return this.workflow.send(
      WorkflowPattern.WorkOrderTemplateDeploy,
      DeployTemplateCommand.create({ key, actor }),
    );
  }
}
