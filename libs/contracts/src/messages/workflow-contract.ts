import type { PingCommand, PingReply } from '../commands/system.command';
import type { PageReply } from '../workflow/common';
import type {
  CategoryReply,
  DefinitionReply,
  DefinitionXmlReply,
  CheckDefinitionCommand,
  DefinitionCheckReply,
  DeleteCategoryCommand,
  DeployDefinitionCommand,
  GetDefinitionCommand,
  ListCategoriesCommand,
  ListDefinitionsCommand,
  SaveCategoryCommand,
  UpdateDefinitionCommand,
} from '../workflow/definition.contract';
import type {
  CorrelateMessageCommand,
  DiagramReply,
  GetInstanceCommand,
  InstanceDetailReply,
  InstanceSummaryReply,
  ListInstancesCommand,
  StartInstanceCommand,
  StartInstanceReply,
} from '../workflow/instance.contract';
import type {
  DeletedReply,
  CompleteAndJumpCommand,
  HandOverTaskCommand,
  InstanceRefCommand,
  JumpInstanceCommand,
  MoveReply,
  RelaunchInstanceCommand,
  RelaunchReply,
  ReturnTargetReply,
  ReturnTaskCommand,
  SignerCommand,
  TaskCommentCommand,
  UrgeReply,
} from '../workflow/operation.contract';
import type { ExecuteJobCommand, JobReply, ListJobsCommand } from '../workflow/job.contract';
import type {
  BroadcastSignalCommand,
  CorrelateMessageGloballyCommand,
  MessageCorrelationReply,
  SignalReply,
  TriggerReceiveTaskCommand,
  TriggerReply,
} from '../workflow/bpmn-event.contract';
import type {
  CompleteExternalTaskCommand,
  ExtendExternalTaskLockCommand,
  ExternalTaskBpmnErrorCommand,
  ExternalTaskReply,
  FailExternalTaskCommand,
  FetchExternalTasksCommand,
  ListExternalTasksCommand,
  LockedExternalTaskReply,
  SetExternalTaskRetriesCommand,
} from '../workflow/external-task.contract';
import type {
  AckEventsCommand,
  FetchEventsCommand,
  RetryEventCommand,
  WorkflowEvent,
} from '../workflow/outbox.contract';
import type {
  CompleteTaskCommand,
  GetTaskCommand,
  ListTasksCommand,
  TaskActionReply,
  TaskDetailReply,
  TaskRefCommand,
  TaskReply,
} from '../workflow/task.contract';
import type {
  AuditWorkOrderCommand,
  CheckFormDataCommand,
  ClassificationRefCommand,
  CloseWorkOrderCommand,
  CreateWorkOrderCommand,
  DeployTemplateCommand,
  DurationReportCommand,
  DurationRow,
  EvaluateWorkOrderCommand,
  FormDataCheckReply,
  FormReply,
  GetFormCommand,
  HandleWorkOrderCommand,
  InstanceCountRow,
  InstanceReportCommand,
  InterveneWorkOrderCommand,
  LaunchWorkOrderCommand,
  ListClassificationCommand,
  ListFormsCommand,
  ListWorkOrdersCommand,
  MonitoredInstanceReply,
  MonitoringListCommand,
  PrintReply,
  ProcessFormCommand,
  ProcessFormReply,
  ReportRangeCommand,
  SaveFormCommand,
  SaveWorkOrderCategoryCommand,
  SaveWorkOrderTypeCommand,
  TemplateReply,
  WorkOrderCategoryReply,
  WorkOrderCountRow,
  WorkOrderDetailReply,
  WorkOrderRefCommand,
  WorkOrderReply,
  WorkOrderTypeReply,
} from '../work-orders';
import { WorkflowPattern } from './workflow-pattern';

/** Pattern → command and reply types; the typed gateway client is checked against it. */
export interface WorkflowContract {
  [WorkflowPattern.Ping]: { command: PingCommand; reply: PingReply };

  [WorkflowPattern.DefinitionDeploy]: { command: DeployDefinitionCommand; reply: DefinitionReply };
  [WorkflowPattern.DefinitionList]: { command: ListDefinitionsCommand; reply: PageReply<DefinitionReply> };
  [WorkflowPattern.DefinitionGet]: { command: GetDefinitionCommand; reply: DefinitionReply };
  [WorkflowPattern.DefinitionXml]: { command: GetDefinitionCommand; reply: DefinitionXmlReply };
  [WorkflowPattern.DefinitionUpdate]: { command: UpdateDefinitionCommand; reply: DefinitionReply };
  [WorkflowPattern.DefinitionCheck]: { command: CheckDefinitionCommand; reply: DefinitionCheckReply };
  [WorkflowPattern.CategoryList]: { command: ListCategoriesCommand; reply: CategoryReply[] };
  [WorkflowPattern.CategorySave]: { command: SaveCategoryCommand; reply: CategoryReply };
  [WorkflowPattern.CategoryDelete]: { command: DeleteCategoryCommand; reply: { deleted: true } };

  [WorkflowPattern.InstanceStart]: { command: StartInstanceCommand; reply: StartInstanceReply };
  [WorkflowPattern.InstanceList]: { command: ListInstancesCommand; reply: PageReply<InstanceSummaryReply> };
  [WorkflowPattern.InstanceGet]: { command: GetInstanceCommand; reply: InstanceDetailReply };
  [WorkflowPattern.InstanceDiagram]: { command: GetInstanceCommand; reply: DiagramReply };
  [WorkflowPattern.InstanceCorrelate]: { command: CorrelateMessageCommand; reply: InstanceSummaryReply };
  [WorkflowPattern.SignalBroadcast]: { command: BroadcastSignalCommand; reply: SignalReply };
  [WorkflowPattern.MessageCorrelate]: {
    command: CorrelateMessageGloballyCommand;
    reply: MessageCorrelationReply;
  };
  [WorkflowPattern.ReceiveTaskTrigger]: { command: TriggerReceiveTaskCommand; reply: TriggerReply };
  [WorkflowPattern.ExternalTaskFetchAndLock]: {
    command: FetchExternalTasksCommand;
    reply: LockedExternalTaskReply[];
  };
  [WorkflowPattern.ExternalTaskComplete]: { command: CompleteExternalTaskCommand; reply: ExternalTaskReply };
  [WorkflowPattern.ExternalTaskFailure]: { command: FailExternalTaskCommand; reply: ExternalTaskReply };
  [WorkflowPattern.ExternalTaskExtendLock]: {
    command: ExtendExternalTaskLockCommand;
    reply: ExternalTaskReply;
  };
  [WorkflowPattern.ExternalTaskBpmnError]: {
    command: ExternalTaskBpmnErrorCommand;
    reply: ExternalTaskReply;
  };
  [WorkflowPattern.ExternalTaskSetRetries]: {
    command: SetExternalTaskRetriesCommand;
    reply: ExternalTaskReply;
  };
  [WorkflowPattern.ExternalTaskList]: { command: ListExternalTasksCommand; reply: ExternalTaskReply[] };
  [WorkflowPattern.InstanceStop]: { command: InstanceRefCommand; reply: InstanceSummaryReply };
  [WorkflowPattern.InstanceDiscard]: { command: InstanceRefCommand; reply: InstanceSummaryReply };
  [WorkflowPattern.InstanceDelete]: { command: InstanceRefCommand; reply: DeletedReply };
  [WorkflowPattern.InstanceRelaunch]: { command: RelaunchInstanceCommand; reply: RelaunchReply };
  [WorkflowPattern.InstanceRevoke]: { command: InstanceRefCommand; reply: MoveReply };
  [WorkflowPattern.InstanceUrge]: { command: InstanceRefCommand; reply: UrgeReply };
  [WorkflowPattern.InstanceJump]: { command: JumpInstanceCommand; reply: MoveReply };
  [WorkflowPattern.InstanceAddSigner]: { command: SignerCommand; reply: StartInstanceReply };
  [WorkflowPattern.InstanceRemoveSigner]: { command: SignerCommand; reply: StartInstanceReply };

  [WorkflowPattern.TaskList]: { command: ListTasksCommand; reply: PageReply<TaskReply> };
  [WorkflowPattern.TaskGet]: { command: GetTaskCommand; reply: TaskDetailReply };
  [WorkflowPattern.TaskClaim]: { command: TaskRefCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskUnclaim]: { command: TaskRefCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskComplete]: { command: CompleteTaskCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskCompleteAndJump]: { command: CompleteAndJumpCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskReject]: { command: TaskCommentCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskReturn]: { command: ReturnTaskCommand; reply: MoveReply };
  [WorkflowPattern.TaskReturnTargets]: { command: GetTaskCommand; reply: ReturnTargetReply[] };
  [WorkflowPattern.TaskDelegate]: { command: HandOverTaskCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskResolve]: { command: TaskCommentCommand; reply: TaskActionReply };
  [WorkflowPattern.TaskTransfer]: { command: HandOverTaskCommand; reply: TaskActionReply };

  [WorkflowPattern.JobList]: { command: ListJobsCommand; reply: JobReply[] };
  [WorkflowPattern.JobExecute]: { command: ExecuteJobCommand; reply: JobReply };

  [WorkflowPattern.FormSave]: { command: SaveFormCommand; reply: FormReply };
  [WorkflowPattern.FormList]: { command: ListFormsCommand; reply: PageReply<FormReply> };
  [WorkflowPattern.FormGet]: { command: GetFormCommand; reply: FormReply };
  [WorkflowPattern.FormVersions]: { command: GetFormCommand; reply: FormReply[] };
  [WorkflowPattern.ProcessForm]: { command: ProcessFormCommand; reply: ProcessFormReply };
  [WorkflowPattern.FormCheckData]: { command: CheckFormDataCommand; reply: FormDataCheckReply };

  [WorkflowPattern.WorkOrderCreate]: { command: CreateWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderLaunch]: { command: LaunchWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderList]: { command: ListWorkOrdersCommand; reply: PageReply<WorkOrderReply> };
  [WorkflowPattern.WorkOrderGet]: { command: WorkOrderRefCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderHandle]: { command: HandleWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderAudit]: { command: AuditWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderClose]: { command: CloseWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderEvaluate]: { command: EvaluateWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderIntervene]: { command: InterveneWorkOrderCommand; reply: WorkOrderDetailReply };
  [WorkflowPattern.WorkOrderPrint]: { command: WorkOrderRefCommand; reply: PrintReply };
  [WorkflowPattern.WorkOrderTypeList]: {
    command: ListClassificationCommand;
    reply: PageReply<WorkOrderTypeReply>;
  };
  [WorkflowPattern.WorkOrderTypeSave]: { command: SaveWorkOrderTypeCommand; reply: WorkOrderTypeReply };
  [WorkflowPattern.WorkOrderTypeDelete]: { command: ClassificationRefCommand; reply: { deleted: true } };
  [WorkflowPattern.WorkOrderCategoryTree]: {
    command: ListClassificationCommand;
    reply: WorkOrderCategoryReply[];
  };
  [WorkflowPattern.WorkOrderCategorySave]: {
    command: SaveWorkOrderCategoryCommand;
    reply: WorkOrderCategoryReply;
  };
  [WorkflowPattern.WorkOrderCategoryDelete]: { command: ClassificationRefCommand; reply: { deleted: true } };
  [WorkflowPattern.WorkOrderTemplateList]: { command: ListClassificationCommand; reply: TemplateReply[] };
  [WorkflowPattern.WorkOrderTemplateDeploy]: { command: DeployTemplateCommand; reply: TemplateReply };

  [WorkflowPattern.MonitoringInstances]: {
    command: MonitoringListCommand;
    reply: PageReply<MonitoredInstanceReply>;
  };
  [WorkflowPattern.ReportInstances]: { command: InstanceReportCommand; reply: InstanceCountRow[] };
  [WorkflowPattern.ReportDurations]: { command: DurationReportCommand; reply: DurationRow[] };
  [WorkflowPattern.ReportWorkOrders]: { command: ReportRangeCommand; reply: WorkOrderCountRow[] };

  [WorkflowPattern.EventsFetch]: { command: FetchEventsCommand; reply: WorkflowEvent[] };
  [WorkflowPattern.EventsAck]: { command: AckEventsCommand; reply: { acknowledged: number } };
  [WorkflowPattern.EventsRetry]: { command: RetryEventCommand; reply: { rescheduled: number } };
}

export type WorkflowCommandOf<P extends WorkflowPattern> = WorkflowContract[P]['command'];
export type WorkflowReplyOf<P extends WorkflowPattern> = WorkflowContract[P]['reply'];
