import { Controller, Get, HttpCode, Post, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, TrustedNetworkCallers } from '@app/auth';
import { IdempotencyKey } from '@app/common';
import { FlowServiceExceptionFilter } from './flow-service-exception.filter';
import { AuditDto, DiscardDto, FlowParams, FlowRefDto, LaunchDto, TaskNotifyDto } from './flow-service.dto';
import { FlowServiceService } from './flow-service.service';

const TAG = 'legacy 002: 流程服务';
const SERVICE_HEADERS = [
  {
    name: 'requestType',
    required: false,
    description:
      '`service` for a back-end caller (A-45); people use a Bearer token; from TRUSTED_NETWORKS no credentials (A-76)',
  },
  { name: 'serverID', required: false },
  { name: 'secretKey', required: false },
];
const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  required: false,
  description: 'A replay with the same key returns the first result',
};

/** Documents one seed-002 route: its parameters in the query string, or the same names in a form / JSON body. */
const FlowRoute = (summary: string, dto: new () => object, names: string[], withBody = true) =>
  ((target: object, key: string, descriptor: PropertyDescriptor) => {
    ApiOperation({ summary })(target, key, descriptor);
    if (withBody) ApiBody({ type: dto, required: false })(target, key, descriptor);
    for (const name of names) ApiQuery({ name, required: false, type: String })(target, key, descriptor);
    for (const header of [...SERVICE_HEADERS, IDEMPOTENCY]) ApiHeader(header)(target, key, descriptor);
  }) as MethodDecorator;

/**
 * Seed 002 (流程服务) at its original paths. The seed states no methods: GET and POST both answer (the GET
 * twins are the same call), with
 * the parameters in the query string or a form / JSON body. Successes are the platform envelope
 * `{code:200,msg,data}`, failures `{code,msg}` with HTTP 200.
 */
@ApiTags(TAG)
@ApiBearerAuth()
@TrustedNetworkCallers()
@UseFilters(FlowServiceExceptionFilter)
@Controller()
export class FlowServiceController {
  constructor(private readonly legacy: FlowServiceService) {}

  @Post('flow/launch')
  @HttpCode(200)
  @FlowRoute(
    '发起流程 (→ POST /api/v1/work-orders/launch): data = {flowRunningNumber, processInstanceId}',
    LaunchDto,
    ['flowRunningNumber', 'flowCode', 'dataId', 'userName', 'userCode', 'deptName'],
  )
  launch(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(LaunchDto) dto: LaunchDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.launch(caller, dto, idempotencyKey);
  }

  @Get('flow/launch')
  @FlowRoute(
    '发起流程 (→ POST /api/v1/work-orders/launch): data = {flowRunningNumber, processInstanceId}',
    LaunchDto,
    ['flowRunningNumber', 'flowCode', 'dataId', 'userName', 'userCode', 'deptName'],
    false,
  )
  launchByGet(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(LaunchDto) dto: LaunchDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.launch(caller, dto, idempotencyKey);
  }

  @Post('flow/onAudit')
  @HttpCode(200)
  @FlowRoute(
    '流程审批 (→ POST /api/v1/work-orders/{id}/audit): nextNodeSeq jump, taskDeptManager managers',
    AuditDto,
    ['flowRunningNumber', 'nextNodeSeq', 'taskDeptManager', 'userName', 'userCode'],
  )
  onAudit(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(AuditDto) dto: AuditDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.audit(caller, dto, idempotencyKey);
  }

  @Get('flow/onAudit')
  @FlowRoute(
    '流程审批 (→ POST /api/v1/work-orders/{id}/audit): nextNodeSeq jump, taskDeptManager managers',
    AuditDto,
    ['flowRunningNumber', 'nextNodeSeq', 'taskDeptManager', 'userName', 'userCode'],
    false,
  )
  onAuditByGet(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(AuditDto) dto: AuditDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.audit(caller, dto, idempotencyKey);
  }

  @Post('flow/relaunch')
  @HttpCode(200)
  @FlowRoute('重新发起流程 (→ POST /api/v1/workflow/instances/{id}/relaunch)', FlowRefDto, [
    'flowRunningNumber',
    'userName',
    'userCode',
  ])
  relaunch(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(FlowRefDto) dto: FlowRefDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.relaunch(caller, dto, idempotencyKey);
  }

  @Get('flow/relaunch')
  @FlowRoute(
    '重新发起流程 (→ POST /api/v1/workflow/instances/{id}/relaunch)',
    FlowRefDto,
    ['flowRunningNumber', 'userName', 'userCode'],
    false,
  )
  relaunchByGet(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(FlowRefDto) dto: FlowRefDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.relaunch(caller, dto, idempotencyKey);
  }

  @Post('flow/discard')
  @HttpCode(200)
  @FlowRoute('废弃流程 (→ POST /api/v1/workflow/instances/{id}/discard): initiator or admin', DiscardDto, [
    'flowRunningNumber',
    'userName',
    'userCode',
  ])
  discard(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(DiscardDto) dto: DiscardDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.discard(caller, dto, idempotencyKey);
  }

  @Get('flow/discard')
  @FlowRoute(
    '废弃流程 (→ POST /api/v1/workflow/instances/{id}/discard): initiator or admin',
    DiscardDto,
    ['flowRunningNumber', 'userName', 'userCode'],
    false,
  )
  discardByGet(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(DiscardDto) dto: DiscardDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.discard(caller, dto, idempotencyKey);
  }

  @Post('flow/urgent')
  @HttpCode(200)
  @FlowRoute('催办流程 (→ POST /api/v1/workflow/instances/{id}/urge)', FlowRefDto, [
    'flowRunningNumber',
    'userName',
    'userCode',
  ])
  urgent(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(FlowRefDto) dto: FlowRefDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.urge(caller, dto, idempotencyKey);
  }

  @Get('flow/urgent')
  @FlowRoute(
    '催办流程 (→ POST /api/v1/workflow/instances/{id}/urge)',
    FlowRefDto,
    ['flowRunningNumber', 'userName', 'userCode'],
    false,
  )
  urgentByGet(
    @CurrentPrincipal() caller: Principal,
    @FlowParams(FlowRefDto) dto: FlowRefDto,
    @IdempotencyKey() idempotencyKey?: string,
  ) {
    return this.legacy.urge(caller, dto, idempotencyKey);
  }

  @Post('message/taskNotify')
  @HttpCode(200)
  @FlowRoute('任务通知: who was notified of the open tasks of work order taskNo (A-52)', TaskNotifyDto, [
    'taskNo',
  ])
  taskNotify(@CurrentPrincipal() caller: Principal, @FlowParams(TaskNotifyDto) dto: TaskNotifyDto) {
    return this.legacy.taskNotify(caller, dto);
  }

  @Get('message/taskNotify')
  @FlowRoute(
    '任务通知: who was notified of the open tasks of work order taskNo (A-52)',
    TaskNotifyDto,
    ['taskNo'],
    false,
  )
  taskNotifyByGet(@CurrentPrincipal() caller: Principal, @FlowParams(TaskNotifyDto) dto: TaskNotifyDto) {
    return this.legacy.taskNotify(caller, dto);
  }
}
