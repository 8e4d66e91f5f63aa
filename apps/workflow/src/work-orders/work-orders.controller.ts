import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  AuditWorkOrderCommand,
  ClassificationRefCommand,
  CloseWorkOrderCommand,
  CreateWorkOrderCommand,
  DeployTemplateCommand,
  EvaluateWorkOrderCommand,
  HandleWorkOrderCommand,
  InterveneWorkOrderCommand,
  LaunchWorkOrderCommand,
  ListClassificationCommand,
  ListWorkOrdersCommand,
  SaveWorkOrderCategoryCommand,
  SaveWorkOrderTypeCommand,
  WorkflowPattern,
  WorkOrderRefCommand,
} from '@app/contracts';
import { ClassificationService } from './classification.service';
import { WorkOrdersService } from './work-orders.service';

@Controller()
export class WorkOrdersController {
  constructor(private readonly workOrders: WorkOrdersService) {}

  @MessagePattern(WorkflowPattern.WorkOrderCreate)
  create(@Payload('body') command: CreateWorkOrderCommand) {
    return this.workOrders.create(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderLaunch)
  launch(@Payload('body') command: LaunchWorkOrderCommand) {
    return this.workOrders.launch(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderList)
  list(@Payload('body') command: ListWorkOrdersCommand) {
    return this.workOrders.list(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderGet)
  get(@Payload('body') command: WorkOrderRefCommand) {
    return this.workOrders.get(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderHandle)
  handle(@Payload('body') command: HandleWorkOrderCommand) {
    return this.workOrders.handle(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderAudit)
  audit(@Payload('body') command: AuditWorkOrderCommand) {
    return this.workOrders.audit(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderClose)
  close(@Payload('body') command: CloseWorkOrderCommand) {
    return this.workOrders.close(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderEvaluate)
  evaluate(@Payload('body') command: EvaluateWorkOrderCommand) {
    return this.workOrders.evaluate(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderIntervene)
  intervene(@Payload('body') command: InterveneWorkOrderCommand) {
    return this.workOrders.intervene(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderPrint)
  print(@Payload('body') command: WorkOrderRefCommand) {
    return this.workOrders.print(command);
  }
}

/** Work-order types, the category tree and the built-in templates (seed 004 classification). */
@Controller()
export class WorkOrderClassificationController {
  constructor(private readonly classification: ClassificationService) {}

  @MessagePattern(WorkflowPattern.WorkOrderTypeList)
  types(@Payload('body') command: ListClassificationCommand) {
    return this.classification.types(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderTypeSave)
  saveType(@Payload('body') command: SaveWorkOrderTypeCommand) {
    return this.classification.saveType(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderTypeDelete)
  deleteType(@Payload('body') command: ClassificationRefCommand) {
    return this.classification.deleteType(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderCategoryTree)
  categories() {
    return this.classification.categoryTree();
  }

  @MessagePattern(WorkflowPattern.WorkOrderCategorySave)
  saveCategory(@Payload('body') command: SaveWorkOrderCategoryCommand) {
    return this.classification.saveCategory(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderCategoryDelete)
  deleteCategory(@Payload('body') command: ClassificationRefCommand) {
    return this.classification.deleteCategory(command);
  }

  @MessagePattern(WorkflowPattern.WorkOrderTemplateList)
  templates() {
    return this.classification.templates();
  }

  @MessagePattern(WorkflowPattern.WorkOrderTemplateDeploy)
  deployTemplate(@Payload('body') command: DeployTemplateCommand) {
    return this.classification.deployTemplate(command);
  }
}
