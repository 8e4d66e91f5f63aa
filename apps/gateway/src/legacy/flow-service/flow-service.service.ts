import { Injectable } from '@nestjs/common';
import {
  type Actor,
  AuditWorkOrderCommand,
  ErrorCode,
  GetDefinitionCommand,
  GetInstanceCommand,
  type InstanceSummaryReply,
  InstanceRefCommand,
  LaunchWorkOrderCommand,
  ListInstancesCommand,
  ListWorkOrdersCommand,
  RelaunchInstanceCommand,
  WorkflowPattern,
  type WorkOrderDetailReply,
  type WorkOrderReply,
  WorkOrderRefCommand,
} from '@app/contracts';
import { AppException } from '@app/common';
import { hasPermission, type Principal } from '@app/auth';
import { ActForUsers, type NamedPerson } from '../../identity/access/act-for-users';
import { RecordFlowsService } from '../../data-models/flows/record-flows.service';
import { DepartmentManagers } from '../../work-orders/department-managers';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import type { AuditDto, DiscardDto, FlowRefDto, LaunchDto, TaskNotifyDto } from './flow-service.dto';

/** What every seed-002 flow call answers in `data`: the flow's serial number and its current run. */
export interface FlowRef {
  flowRunningNumber: string;
  processInstanceId: string | null;
}

/**
 * Seed 002 (流程服务) over the platform's work-order and workflow commands. A flow is named by its
 * serial number (`flowRunningNumber` = the work-order number); its current run is the newest instance
 * of that work order (a relaunch keeps the work order, A-49). Who may do what is decided by the
 * workflow app, never here.
 */
@Injectable()
export class FlowServiceService {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly managers: DepartmentManagers,
    private readonly actFor: ActForUsers,
    private readonly recordFlows: RecordFlowsService,
  ) {}

  /** The acting person: the caller, or for a trusted service the staff member named by userName / userCode. */
  private async actorOf(caller: Principal, named: NamedPerson): Promise<Actor> {
    return (await this.actFor.resolve(caller, named)).actor;
  }

  /**
   * 发起流程 → `POST /api/v1/work-orders/launch` (saved form data `dataId`, serial given or generated). A
   * flowCode bound to a data model reads `dataId` as a record of that model instead (docs/data-models.md).
   */
  async launch(caller: Principal, dto: LaunchDto, idempotencyKey?: string): Promise<FlowRef> {
    const actor = await this.actorOf(caller, dto);
    const fromRecord = await this.recordFlows.launchFromLegacy(actor, dto, idempotencyKey);
    if (fromRecord) return ref(fromRecord);
    const order = await this.workflow.send(
      WorkflowPattern.WorkOrderLaunch,
      LaunchWorkOrderCommand.create({
        actor,
        dataId: dto.dataId,
        flowCode: dto.flowCode,
        flowRunningNumber: dto.flowRunningNumber,
        idempotencyKey,
      }),
    );
    return ref(order);
  }

  /**
   * 流程审批 → `POST /api/v1/work-orders/{id}/audit`: completes the caller's open task; department
   * managers named by `taskDeptManager` get the next node's tasks; `nextNodeSeq` jumps.
   */
  async audit(caller: Principal, dto: AuditDto, idempotencyKey?: string): Promise<FlowRef> {
    // The document's onAudit names nobody: a trusted back end then acts for the one approver.
    const actor = (
      await this.actFor.resolveOrOwner(caller, dto, () =>
        this.soleApprover(caller.actor, dto.flowRunningNumber),
      )
    ).actor;
    const order = await this.order(actor, dto.flowRunningNumber);
    const names = (dto.taskDeptManager ?? '')
      .split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const managerIds = await this.managers.resolve(names);
    const nextNodeSeq = await this.nodeOf(actor, order, dto.nextNodeSeq);
    const audited = await this.workflow.send(
      WorkflowPattern.WorkOrderAudit,
      AuditWorkOrderCommand.create({
        actor,
        id: order.id,
        comment: dto.comment,
        nextNodeSeq,
        managerIds,
        idempotencyKey,
      }),
    );
    return ref(audited);
  }

  /** 重新发起流程 → `POST /api/v1/workflow/instances/{id}/relaunch` of the current run. */
  async relaunch(caller: Principal, dto: FlowRefDto, idempotencyKey?: string): Promise<FlowRef> {
    const actor = await this.initiatorUnlessNamed(caller, dto);
    const { order, run } = await this.currentRun(actor, dto.flowRunningNumber);
    const again = await this.workflow.send(
      WorkflowPattern.InstanceRelaunch,
      RelaunchInstanceCommand.create({ actor, id: run.id, idempotencyKey }),
    );
    return { flowRunningNumber: order.number, processInstanceId: again.id };
  }

  /** 废弃流程 → `POST /api/v1/workflow/instances/{id}/discard` (initiator or admin, A-50). */
  async discard(
    caller: Principal,
    dto: DiscardDto,
    idempotencyKey?: string,
  ): Promise<FlowRef & { status: string }> {
    const actor = await this.actorOf(caller, dto);
    const { order, run } = await this.currentRun(actor, dto.flowRunningNumber);
    const discarded = await this.workflow.send(
      WorkflowPattern.InstanceDiscard,
      InstanceRefCommand.create({ actor, id: run.id, idempotencyKey }),
    );
    return { flowRunningNumber: order.number, processInstanceId: discarded.id, status: discarded.status };
  }

  /** 催办流程 → `POST /api/v1/workflow/instances/{id}/urge` (running only, once per interval, A-51). */
  async urge(caller: Principal, dto: FlowRefDto, idempotencyKey?: string) {
    const actor = await this.initiatorUnlessNamed(caller, dto);
    const { order, run } = await this.currentRun(actor, dto.flowRunningNumber);
    const urged = await this.workflow.send(
      WorkflowPattern.InstanceUrge,
      InstanceRefCommand.create({ actor, id: run.id, idempotencyKey }),
    );
    return {
      flowRunningNumber: order.number,
      processInstanceId: urged.instanceId,
      notified: urged.notified,
      nextAllowedAt: urged.nextAllowedAt,
    };
  }

  /**
   * 任务通知: the platform notified the assignees and candidates of every open task when the task
   * was created (inbox + webhooks); a call names the work order by `taskNo` and answers who holds its
   * open tasks. Nothing is sent twice for one task and event.
   */
  async taskNotify(caller: Principal, dto: TaskNotifyDto) {
    const { actor } = caller;
    const found = await this.order(actor, dto.taskNo, 'taskNo');
    const order = await this.workflow.send(
      WorkflowPattern.WorkOrderGet,
      WorkOrderRefCommand.create({ actor, id: found.id }),
    );
    if (order.openTasks.length === 0)
      throw AppException.conflict('NO_OPEN_TASK', `work order ${dto.taskNo} has no open task to notify`);
    return {
      taskNo: order.number,
      tasks: order.openTasks.map((t) => ({
        taskId: t.id,
        name: t.name,
        notified: t.assigneeId ? [`user:${t.assigneeId}`] : t.candidates,
      })),
    };
  }

  /**
   * Relaunch and urge document no acting person: a trusted back end that names nobody acts for the
   * flow's initiator, whose steps these are; named persons and people act as themselves.
   */
  private async initiatorUnlessNamed(caller: Principal, dto: FlowRefDto): Promise<Actor> {
    const owner = async () => {
      const { run } = await this.currentRun(caller.actor, dto.flowRunningNumber);
      const instance = await this.workflow.send(
        WorkflowPattern.InstanceGet,
        GetInstanceCommand.create({ actor: caller.actor, id: run.id }),
      );
      return instance.initiatorId;
    };
    return (await this.actFor.resolveOrOwner(caller, dto, owner)).actor;
  }

  /**
   * The person holding the flow's one open task. Several open tasks (department managers), or one offered
   * to candidates, → the call must name the approver: 4101 on userName — unless the service may act on
   * any task itself (workflow:admin), in which case it audits as itself (null).
   */
  private async soleApprover(actor: Actor, number: string): Promise<string | null> {
    const found = await this.order(actor, number);
    const order = await this.workflow.send(
      WorkflowPattern.WorkOrderGet,
      WorkOrderRefCommand.create({ actor, id: found.id }),
    );
    if (order.openTasks.length > 1)
      throw AppException.invalid([
        {
          field: 'userName',
          reason: `flow ${number} has ${order.openTasks.length} open tasks: name the approver (userName or userCode)`,
        },
      ]);
    const [task] = order.openTasks;
    if (task && !task.assigneeId && hasPermission(actor, 'workflow:admin')) return null;
    if (task && !task.assigneeId)
      throw AppException.invalid([
        {
          field: 'userName',
          reason: `the open task ${task.name} is offered to candidates: name the approver (userName or userCode)`,
        },
      ]);
    return task?.assigneeId ?? null;
  }

  /** The work order whose number is exactly this serial, among those the caller may see. */
  private async order(actor: Actor, number: string, field = 'flowRunningNumber'): Promise<WorkOrderReply> {
    const page = await this.workflow.send(
      WorkflowPattern.WorkOrderList,
      ListWorkOrdersCommand.create({ actor, scope: 'all', keyword: number, pageNum: 1, pageSize: 200 }),
    );
    const order = page.rows.find((row) => row.number === number);
    if (!order) throw new AppException(ErrorCode.NotFound, 'NOT_FOUND', `${field} ${number} not found`);
    return order;
  }

  /** The newest run of the flow (a relaunch starts a new instance of the same work order). */
  private async currentRun(
    actor: Actor,
    number: string,
  ): Promise<{ order: WorkOrderReply; run: Pick<InstanceSummaryReply, 'id'> }> {
    const order = await this.order(actor, number);
    if (!order.instanceId)
      throw AppException.conflict('NOT_LAUNCHED', `flowRunningNumber ${number} has not been launched`);
    const runs = await this.workflow.send(
      WorkflowPattern.InstanceList,
      ListInstancesCommand.create({
        actor,
        scope: 'all',
        businessKey: `wo:${order.id}`,
        pageNum: 1,
        pageSize: 200,
      }),
    );
    const newest = runs.rows.reduce<string>(
      (best, run) => (BigInt(run.id) > BigInt(best) ? run.id : best),
      order.instanceId,
    );
    return { order, run: { id: newest } };
  }

  /**
   * `nextNodeSeq`: absent, empty or negative → follow the model (undefined); a positive n → the
   * id of the n-th user task of the flow's model in document order; anything else is a node id.
   */
  private async nodeOf(
    actor: Actor,
    order: WorkOrderReply,
    seq: string | undefined,
  ): Promise<string | undefined> {
    if (seq === undefined || /^-\d+$/.test(seq) || seq === '0') return undefined;
    if (!/^\d+$/.test(seq)) return seq;
    const instance = await this.workflow.send(
      WorkflowPattern.InstanceGet,
      GetInstanceCommand.create({ actor, id: order.instanceId! }),
    );
    const { xml } = await this.workflow.send(
      WorkflowPattern.DefinitionXml,
      GetDefinitionCommand.create({ actor, id: instance.definitionId }),
    );
    const userTasks = [...xml.matchAll(/<(?:[\w-]+:)?userTask\b[^>]*?\bid="([^"]+)"/g)].map((m) => m[1]);
    const id = userTasks[Number(seq) - 1];
    if (!id)
      throw AppException.invalid([
        { field: 'nextNodeSeq', reason: `the flow has ${userTasks.length} approval nodes, not ${seq}` },
      ]);
    return id;
  }
}

function ref(order: WorkOrderDetailReply): FlowRef {
  return { flowRunningNumber: order.number, processInstanceId: order.instanceId };
}
