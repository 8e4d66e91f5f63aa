import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  type Actor,
  actorHas,
  type AuditWorkOrderCommand,
  type CloseWorkOrderCommand,
  CompleteAndJumpCommand,
  CompleteTaskCommand,
  type CreateWorkOrderCommand,
  ErrorCode,
  type EvaluateWorkOrderCommand,
  type HandleWorkOrderCommand,
  HandOverTaskCommand,
  InstanceRefCommand,
  type InterveneWorkOrderCommand,
  JumpInstanceCommand,
  type LaunchWorkOrderCommand,
  type ListWorkOrdersCommand,
  type PageReply,
  type TimelineEntryReply,
  type WorkOrderDetailReply,
  type WorkOrderRefCommand,
  type WorkOrderReply,
} from '@app/contracts';
import { AppException, parseClientRange } from '@app/common';
import type {
  ProcessDefinitionEntity,
  ProcessInstanceEntity,
  TaskEntity,
  WorkOrderEntity,
} from '@app/database';
import { identitiesOf, isCandidate } from '../common/candidate-keys';
import { pickFormValues } from '../common/form-field-filter';
import { isWorkOrderAdmin } from '../common/visibility';
import { WorkflowEnv } from '../config/workflow.env';
import { DefinitionRegistry } from '../definitions/definition.registry';
import { ExecutionService } from '../execution/execution.service';
import { IdempotencyService } from '../execution/idempotency.service';
import { InstanceCommandsService } from '../instances/commands/instance-commands.service';
import { TaskCommandsService } from '../tasks/commands/task-commands.service';
import { checkFormFieldList } from '../forms/form-lookup';
import { FormsRepository } from '../forms/forms.repository';
import { FormsService } from '../forms/forms.service';
import { InstancesRepository } from '../instances/instances.repository';
import { mapWorkOrder } from './work-order.mapper';
import { WorkOrdersRepository } from './work-orders.repository';
import { renderPrintView } from './work-order.print';

export { isWorkOrderAdmin } from '../common/visibility';

/**
 * Work orders (seed 004 工单): a business record bound to one process instance. Creation and the
 * instance start share one transaction; the status is the instance's, so it cannot drift.
 */
@Injectable()
export class WorkOrdersService {
  constructor(
    private readonly repository: WorkOrdersRepository,
    private readonly instanceRows: InstancesRepository,
    private readonly formRows: FormsRepository,
    private readonly execution: ExecutionService,
    private readonly registry: DefinitionRegistry,
    private readonly forms: FormsService,
    private readonly tasks: TaskCommandsService,
    private readonly instanceOps: InstanceCommandsService,
    private readonly idempotency: IdempotencyService,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async create(command: CreateWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    const id = await this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'work-order.create', command, async () => {
        const bound = command.instanceId
          ? await this.bindable(manager, actor, command.instanceId, command.taskId)
          : null;
        // a type or category is checked even when the process comes from elsewhere: never a dangling id
        const classified = await this.classifiedProcess(manager, command.typeId, command.categoryId);
        const definition = bound
          ? await this.registry.byId(bound.definitionId, manager)
          : await this.registry.latestActive(command.definitionKey ?? classified ?? noProcess(), manager);
        const order = await this.repository.insert(manager, {
          number: `~${randomUUID()}`,
          title: command.title,
          systemId: command.systemId,
          projectId: command.projectId ?? null,
          typeId: command.typeId ?? null,
          categoryId: command.categoryId ?? null,
          source: command.source ?? null,
          compensation: command.compensation ?? null,
          roomNumber: command.roomNumber ?? null,
          description: command.description ?? null,
          attachmentUrls: command.attachmentUrls ?? [],
          formData: command.formData ?? {},
          definitionKey: definition.key,
          instanceId: null,
          createdBy: actor.id,
          createdByDepartment: actor.departmentId ?? null,
        });
        if (bound) {
          await this.repository.update(manager, order.id, { number: bound.serialNo, instanceId: bound.id });
        } else if (command.draft) {
          await this.repository.update(manager, order.id, { number: `DRAFT-${order.id}` });
        } else {
          await this.startProcess(manager, order, definition, actor);
        }
        return { id: String(order.id) };
      }),
    );
    return this.detail(actor, id.id);
  }

  /** Seed 002 发起流程: start a saved (draft) work order's process, by flow code, with a given or generated serial number. */
  async launch(command: LaunchWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    await this.execution.transaction((manager) =>
      this.idempotency.once(manager, 'work-order.launch', command, async () => {
        const order = await this.repository.findForUpdate(manager, command.dataId);
        if (!order || (order.createdBy !== actor.id && !isWorkOrderAdmin(actor)))
          throw AppException.notFound('work order', command.dataId);
        if (order.instanceId)
          throw AppException.conflict('ALREADY_LAUNCHED', `work order ${order.id} was launched already`);
        const definition = await this.registry.latestActive(command.flowCode ?? order.definitionKey, manager);
        order.definitionKey = definition.key;
        await this.startProcess(manager, order, definition, actor, command.flowRunningNumber);
        return { id: order.id };
      }),
    );
    return this.detail(actor, command.dataId);
  }

  private async startProcess(
    manager: EntityManager,
    order: WorkOrderEntity,
    definition: ProcessDefinitionEntity,
    actor: Actor,
    number?: string,
  ): Promise<void> {
    await this.instanceOps.requireStarter(actor, definition);
    const data = await this.forms.validate(manager, definition.startFormKey, definition, order.formData);
    const clash = number ? await this.repository.findByNumber(manager, number) : null;
    if (clash && clash.id !== order.id)
      throw AppException.conflict('NUMBER_TAKEN', `number ${number} is taken`);
    // A caller-given number (seed 002 flowRunningNumber) is the instance's serial number too, not only the order's.
    const step = await this.execution.start(manager, {
      definition,
      actor,
      variables: { ...data, workOrderId: String(order.id), workOrderTitle: order.title },
      businessKey: `wo:${order.id}`,
      title: order.title,
      serialNo: number,
    });
    const finalNumber = await this.execution.serialNoOf(manager, step.instance);
    const taken = await this.repository.findByNumber(manager, finalNumber);
    if (taken && taken.id !== order.id)
      throw AppException.conflict('NUMBER_TAKEN', `number ${finalNumber} is taken`);
    await this.repository.update(manager, order.id, {
      number: finalNumber,
      instanceId: step.instance.id,
      definitionKey: definition.key,
      formData: order.formData,
    });
  }

  /**
   * Seed 004 creates the order after starting the process (procInstId, A-16). The instance row is locked
   * so two binds of one instance queue up and the second finds the first's order.
   */
  private async bindable(
    manager: EntityManager,
    actor: Actor,
    instanceId: string,
    taskId?: string,
  ): Promise<ProcessInstanceEntity> {
    const instance = await this.instanceRows.findForUpdate(manager, instanceId);
    if (!instance || (instance.initiatorId !== actor.id && !isWorkOrderAdmin(actor)))
      throw AppException.notFound('instance', instanceId);
    if (instance.status !== 'running')
      throw AppException.conflict('INSTANCE_NOT_RUNNING', `instance ${instanceId} is ${instance.status}`);
    if (await this.repository.isInstanceBound(manager, instanceId))
      throw AppException.conflict('INSTANCE_BOUND', `instance ${instanceId} already has a work order`);
    // seed 004 names the task the caller is at: it must be this instance's, and still open
    const task = taskId ? await this.repository.findTask(instanceId, taskId, manager) : undefined;
    if (task === null) throw AppException.notFound('task', taskId);
    if (task && task.status !== 'open')
      throw new AppException(ErrorCode.Conflict, 'TASK_ALREADY_HANDLED', `task ${taskId} is not open`);
    return instance;
  }

  /** The process the type (else the category) is bound to, if any; an unknown type or category is 4101. */
  private async classifiedProcess(
    manager: EntityManager,
    typeId?: string,
    categoryId?: string,
  ): Promise<string | undefined> {
    const type = typeId ? await this.repository.findType(manager, typeId) : null;
    if (typeId && !type) throw AppException.invalid([{ field: 'typeId', reason: 'unknown work-order type' }]);
    const category = categoryId ? await this.repository.findCategory(manager, categoryId) : null;
    if (categoryId && !category)
      throw AppException.invalid([{ field: 'categoryId', reason: 'unknown category' }]);
    return type?.definitionKey || category?.definitionKey || undefined;
  }

  async list(command: ListWorkOrdersCommand): Promise<PageReply<WorkOrderReply>> {
    await checkFormFieldList(this.formRows, this.registry, command);
    const created = parseClientRange(
      { from: command.createdFrom, to: command.createdTo },
      this.config.TZ_BUSINESS,
      { from: 'createdFrom', to: 'createdTo' },
    );
    const { rows, total } = await this.repository.page({
      ...command,
      createdFrom: created.from,
      createdTo: created.to,
    });
    // The nodes each running order is at, as its detail names them (they were always [] here).
    const running = rows.filter((r) => r.instanceStatus === 'running' && r.order.instanceId);
    const nodes = await this.repository.openTaskNames(running.map((r) => r.order.instanceId!));
    return {
      total,
      pageNum: command.pageNum,
      pageSize: command.pageSize,
      rows: rows.map(({ order, instanceStatus }) => {
        const formValues = pickFormValues(order.formData, command.formFields);
        const current = order.instanceId ? nodes.get(order.instanceId) : undefined;
        return { ...mapWorkOrder(order, instanceStatus, current), ...(formValues ? { formValues } : {}) };
      }),
    };
  }

  get(command: WorkOrderRefCommand): Promise<WorkOrderDetailReply> {
    return this.detail(command.actor, command.id);
  }

  /** A work order the actor may see (common/visibility.ts), else 404. */
  async visible(actor: Actor, id: string, manager?: EntityManager): Promise<WorkOrderEntity> {
    const order = await this.repository.findVisible(actor, id, manager);
    if (!order) throw AppException.notFound('work order', id);
    return order;
  }

  async detail(actor: Actor, id: string): Promise<WorkOrderDetailReply> {
    const order = await this.visible(actor, id);
    const instance = order.instanceId ? await this.repository.findInstance(order.instanceId) : null;
    const open = order.instanceId ? await this.repository.openTasks(order.instanceId) : [];
    const timeline: TimelineEntryReply[] = [
      {
        kind: 'created',
        at: new Date(order.createdAt).toISOString(),
        endedAt: null,
        elementId: null,
        text: `created: ${order.title}`,
        actorId: order.createdBy,
      },
    ];
    if (order.instanceId) {
      const history = await this.repository.history(order.instanceId);
      for (const h of history) {
        if (h.elementType === 'sequenceFlow' || h.elementType === 'SequenceFlow') continue;
        timeline.push({
          kind: 'node',
          at: h.enteredAt.toISOString(),
          endedAt: h.leftAt?.toISOString() ?? null,
          elementId: h.elementId,
          text: `${h.elementName ?? h.elementId}${h.outcome ? ` (${h.outcome})` : ''}`,
          actorId: h.actorId,
        });
      }
      const comments = await this.repository.comments(order.instanceId);
      for (const c of comments)
        timeline.push({
          kind: 'comment',
          at: c.createdAt.toISOString(),
          endedAt: null,
          elementId: null,
          text: `[${c.type}] ${c.message}`,
          actorId: c.actorId,
        });
    }
    if (order.closedAt)
      timeline.push({
        kind: 'closed',
        at: order.closedAt.toISOString(),
        endedAt: null,
        elementId: null,
        text: `closed: ${order.closeReason ?? ''}`,
        actorId: null,
      });
    timeline.sort((a, b) => a.at.localeCompare(b.at));
    return {
      ...mapWorkOrder(
        order,
        instance?.status ?? null,
        open.map((t) => t.name),
      ),
      timeline,
      openTasks: open.map((t) => ({
        id: String(t.id),
        elementId: t.elementId,
        name: t.name,
        assigneeId: t.assigneeId,
        candidates: t.candidates,
        formKey: t.formKey,
        dueAt: t.dueAt?.toISOString() ?? null,
      })),
    };
  }

  /** Handle (处理): the submitted data must satisfy the task's form; then the task completes with it as variables. */
  async handle(command: HandleWorkOrderCommand): Promise<WorkOrderDetailReply> {
    // One transaction: the task's completion (engine step) and the work order's form data commit together.
    await this.execution.transaction(async (manager) => {
      const order = await this.visible(command.actor, command.id, manager);
      const task = await this.openTaskOf(order, command.taskId, manager);
      const definition = await this.registry.byId(task.definitionId, manager);
      const data = await this.forms.validate(manager, task.formKey, definition, command.data ?? {});
      await this.tasks.complete(
        CompleteTaskCommand.create({
          taskId: String(task.id),
          actor: command.actor,
          comment: command.comment,
          variables: data,
          idempotencyKey: command.idempotencyKey,
        }),
        manager,
      );
      await this.mergeFormData(manager, order.id, data);
    });
    return this.detail(command.actor, command.id);
  }

  /**
   * Seed 002 流程审批. `managerIds` (the gateway resolved `taskDeptManager` names to the departments'
   * managers) become the `deptManagers` collection of the next multi-instance node; `nextNodeSeq` makes
   * the given node the next one whatever the model says (a jump that leaves the audit task).
   */
  async audit(command: AuditWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    // One transaction: the audit step and the work order's form data commit together.
    await this.execution.transaction((manager) => this.auditIn(manager, command));
    return this.detail(actor, command.id);
  }

  private async auditIn(manager: EntityManager, command: AuditWorkOrderCommand): Promise<void> {
    const { actor } = command;
    const order = await this.visible(actor, command.id, manager);
    const task = command.taskId
      ? await this.openTaskOf(order, command.taskId, manager)
      : ((await this.myOpenTask(actor, order, manager)) ??
        (await this.openTaskForAdmin(actor, order, manager)));
    const definition = await this.registry.byId(task.definitionId, manager);
    const data = await this.forms.validate(manager, task.formKey, definition, command.data ?? {});
    const managers = [...new Set(command.managerIds ?? [])];
    // Only an audit that names managers sets them. A manager's own audit (one of a multi-instance node)
    // must not touch the collection the other managers' tasks still run on (that left them "not
    // waiting", 4090); a single audit without managers says "no manager review".
    const routing =
      managers.length > 0
        ? { deptManagers: managers, managerReview: true }
        : task.miTotal === null
          ? { managerReview: false }
          : {};
    const completion = {
      taskId: String(task.id),
      actor,
      comment: command.comment,
      variables: { ...data, ...routing },
      idempotencyKey: command.idempotencyKey,
    };
    if (command.nextNodeSeq) {
      // The auditor's jump is part of their audit (A-47): the task is completed and the run goes on there.
      await this.tasks.completeAndJump(
        CompleteAndJumpCommand.create({ ...completion, targetElementId: command.nextNodeSeq }),
        true,
        manager,
      );
    } else {
      await this.tasks.complete(CompleteTaskCommand.create(completion), manager);
    }
    await this.mergeFormData(manager, order.id, data);
  }

  /** Close (工单关闭): a running process is stopped (initiator or admin); the record keeps its reason. */
  async close(command: CloseWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    // One transaction: stopping the process and closing the record commit together (or neither).
    await this.execution.transaction(async (manager) => {
      const order = await this.visible(actor, command.id, manager);
      if (order.createdBy !== actor.id && !isWorkOrderAdmin(actor))
        throw AppException.forbidden('NOT_INITIATOR');
      const closed = () => AppException.conflict('ALREADY_CLOSED', `work order ${order.id} is closed`);
      if (order.closedAt) throw closed();
      if (order.instanceId) {
        const instance = await this.repository.findInstance(order.instanceId, manager);
        if (instance?.status === 'running')
          await this.instanceOps.end(
            InstanceRefCommand.create({
              id: order.instanceId,
              actor: this.asAdmin(actor),
              comment: command.reason,
              idempotencyKey: command.idempotencyKey,
            }),
            'stopped',
            manager,
          );
      }
      // guarded: of two closes at once, the second finds it closed
      if (!(await this.repository.close(manager, order.id, command.reason))) throw closed();
    });
    return this.detail(actor, command.id);
  }

  /** Evaluation (评价): by the creator, once, after the process ended. */
  async evaluate(command: EvaluateWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    const order = await this.visible(actor, command.id);
    if (order.createdBy !== actor.id)
      throw AppException.forbidden('NOT_CREATOR', 'only the creator evaluates');
    const instance = order.instanceId ? await this.repository.findInstance(order.instanceId) : null;
    if (!instance || instance.status === 'running')
      throw AppException.conflict('NOT_FINISHED', 'a work order is evaluated after its process ended');
    if (!(await this.repository.evaluate(order.id, command.score, command.comment ?? null)))
      throw AppException.conflict('ALREADY_EVALUATED', 'evaluated already');
    return this.detail(actor, command.id);
  }

  /** Admin intervention (工单干预): reassign an open task, terminate the process, or move it to a node. */
  async intervene(command: InterveneWorkOrderCommand): Promise<WorkOrderDetailReply> {
    const { actor } = command;
    // visibility first: an order outside the caller's view is 404 whatever the command
    const order = await this.visible(actor, command.id);
    if (!isWorkOrderAdmin(actor))
      throw AppException.forbidden('MISSING_PERMISSION', 'workorder:admin required');
    if (!order.instanceId) throw AppException.conflict('NOT_LAUNCHED', 'the work order has no process yet');
    const admin = this.asAdmin(actor);
    switch (command.action) {
      case 'reassign': {
        const task = await this.openTaskOf(order, command.taskId);
        await this.tasks.transfer(
          HandOverTaskCommand.create({
            taskId: String(task.id),
            userId: command.userId!,
            comment: command.comment,
            actor: admin,
          }),
        );
        break;
      }
      case 'terminate':
        await this.instanceOps.end(
          InstanceRefCommand.create({
            id: order.instanceId,
            comment: command.comment ?? 'terminated by admin',
            actor: admin,
          }),
          'discarded',
        );
        break;
      case 'jump':
        await this.instanceOps.jump(
          JumpInstanceCommand.create({
            id: order.instanceId,
            targetElementId: command.targetElementId!,
            comment: command.comment,
            actor: admin,
          }),
        );
        break;
    }
    return this.detail(actor, command.id);
  }

  async print(command: WorkOrderRefCommand): Promise<{ html: string }> {
    const detail = await this.detail(command.actor, command.id);
    return { html: renderPrintView(detail, this.config.TZ_BUSINESS) };
  }

  private asAdmin(actor: Actor): Actor {
    return isWorkOrderAdmin(actor) && !actorHas(actor, 'workflow:admin')
      ? { ...actor, permissions: [...actor.permissions, 'workflow:admin'] }
      : actor;
  }

  private async openTaskOf(
    order: WorkOrderEntity,
    taskId: string | undefined,
    manager?: EntityManager,
  ): Promise<TaskEntity> {
    if (!order.instanceId) throw AppException.conflict('NOT_LAUNCHED', 'the work order has no process yet');
    const open = await this.repository.openTasks(order.instanceId, taskId, manager);
    if (taskId && open.length === 0) {
      const any = await this.repository.findTask(order.instanceId, taskId, manager);
      if (!any) throw AppException.notFound('task', taskId);
      throw new AppException(ErrorCode.Conflict, 'TASK_ALREADY_HANDLED', `task ${taskId} is not open`);
    }
    if (open.length === 0) throw AppException.conflict('NO_OPEN_TASK', 'the work order has no open task');
    return open[0];
  }

  /**
   * An audit that names no task and finds none of the caller's: an admin audits the first open one (a
   * jump by the administrator, S002-04); anyone else holds nothing to audit (4090, e.g. the same audit
   * sent again — it must not reach the next approvers' tasks).
   */
  private async openTaskForAdmin(
    actor: Actor,
    order: WorkOrderEntity,
    manager: EntityManager,
  ): Promise<TaskEntity> {
    if (!actorHas(actor, 'workflow:admin'))
      throw AppException.conflict(
        'NO_OPEN_TASK',
        `you hold no open task of work order ${order.number ?? order.id}`,
      );
    return this.openTaskOf(order, undefined, manager);
  }

  /** Picks the open task the actor may work on when none is named (seed 002's audit names only the serial number). */
  async myOpenTask(
    actor: Actor,
    order: WorkOrderEntity,
    manager?: EntityManager,
  ): Promise<TaskEntity | undefined> {
    if (!order.instanceId) return undefined;
    const open = await this.repository.openTasks(order.instanceId, undefined, manager);
    return open.find(
      (t) =>
        (t.assigneeId && identitiesOf(actor).includes(t.assigneeId)) ||
        (!t.assigneeId && isCandidate(actor, t.candidates)),
    );
  }

  private async mergeFormData(
    manager: EntityManager,
    id: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    if (Object.keys(data).length === 0) return;
    await this.repository.mergeFormData(manager, id, data);
  }

  /** For reports and monitoring: ids of work orders by instance. */
  async byInstances(ids: string[]): Promise<WorkOrderEntity[]> {
    return this.repository.byInstances(ids);
  }
}

function noProcess(): never {
  throw AppException.invalid([
    { field: 'definitionKey', reason: 'give definitionKey or a type/category bound to a process' },
  ]);
}
