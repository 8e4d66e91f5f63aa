import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import {
  type Actor,
  CompleteTaskCommand,
  CreateWorkOrderCommand,
  ErrorCode,
  GetInstanceCommand,
  GetTaskCommand,
  HandleWorkOrderCommand,
  ListWorkOrdersCommand,
  type WorkOrderDetailReply,
  ListInstancesCommand,
  ListTasksCommand,
  TaskRefCommand,
  WorkflowPattern,
} from '@app/contracts';
import type { Principal } from '@app/auth';
import { AppException, messageFor } from '@app/common';
import { AuthService } from '../../identity/auth/auth.service';
import type { ClientContext } from '../../identity/shared/client-context';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { LegacySessionCookie } from '../legacy-session-cookie';
import {
  type DoLoginDto,
  type LegacyPasswordDto,
  NO_ANSWERS,
  type OpportunityProcessDto,
  type PathPageDto,
  UNDECIDED,
  YES_ANSWERS,
} from './opportunity.dto';

/** The built-in opportunity-report template (work-order centre) that `/process` starts. */
export const OPPORTUNITY_FLOW = { definitionKey: 'opportunityReport', systemId: 'opportunity' } as const;

/** Seed 000 (云改商机上报支撑系统) over the platform's identity and workflow services. */
@Injectable()
export class OpportunityLegacyService {
  constructor(
    private readonly auth: AuthService,
    private readonly workflow: WorkflowClient,
    private readonly cookie: LegacySessionCookie,
  ) {}

  /** `{"msg":"","status":"ok"}` plus the session cookie; failures answer `status: "error"`. */
  async doLogin(dto: DoLoginDto, client: ClientContext, reply: FastifyReply) {
    try {
      const pair = await this.auth.login({ account: dto.accountId, password: dto.pass }, client);
      this.cookie.set(reply, pair.accessToken, pair.expiresIn);
      return { msg: '', status: 'ok', token: pair.accessToken };
    } catch (error) {
      if (!(error instanceof AppException) || error.code === ErrorCode.TooManyRequests) throw error;
      // unknown account and wrong password alike; "令牌无效或已过期" (invalid token) meant nothing to a login form
      if (error.code === ErrorCode.InvalidToken) return { msg: '用户名或密码错误', status: 'error' };
      return { msg: messageFor(error.code, 'zh'), status: 'error' };
    }
  }

  async changePassword(
    principal: Principal,
    dto: LegacyPasswordDto,
    client: ClientContext,
    reply: FastifyReply,
  ) {
    const pair = await this.auth.changePassword(principal, dto, client);
    this.cookie.set(reply, pair.accessToken, pair.expiresIn); // the old session ended with the change
    return null;
  }

  instances(actor: Actor, page: PathPageDto, finished: boolean) {
    return this.workflow.send(
      WorkflowPattern.InstanceList,
      ListInstancesCommand.create({
        actor,
        scope: 'started',
        finished,
        pageNum: page.pageNum,
        pageSize: page.pageSize,
      }),
    );
  }

  /** 待领取 = claimable; 待处理 = held by me. */
  tasks(actor: Actor, page: PathPageDto, which: 'claimable' | 'held') {
    return this.workflow.send(
      WorkflowPattern.TaskList,
      ListTasksCommand.create({
        actor,
        scope: which === 'claimable' ? 'claimable' : 'todo',
        ...(which === 'held' && { assignedOnly: true }),
        pageNum: page.pageNum,
        pageSize: page.pageSize,
      }),
    );
  }

  diagram(actor: Actor, id: string) {
    return this.workflow.send(WorkflowPattern.InstanceDiagram, GetInstanceCommand.create({ actor, id }));
  }

  /**
   * 新建流程: a work order of the opportunity-report flow with the 15 fields as its form data; the
   * built-in start form validates them per field. Node outcomes sent now are ignored.
   */
  async startProcess(actor: Actor, dto: OpportunityProcessDto, idempotencyKey?: string) {
    const order = await this.workflow.send(
      WorkflowPattern.WorkOrderCreate,
      CreateWorkOrderCommand.create({
        actor,
        idempotencyKey,
        title: `商机 ${dto.custName}`,
        ...OPPORTUNITY_FLOW,
        formData: yesNoAsForm({ ...dto }),
      }),
    );
    return progressOf(order);
  }

  /**
   * The step the document implies after 领取: finish the held task with its stage fields. A task of a
   * work order goes through the order (stage form checked, data merged); any other through the engine.
   */
  async completeTask(actor: Actor, taskId: string, body: unknown, idempotencyKey?: string) {
    const fields = yesNoAsForm(isRecord(body) ? { ...body } : {});
    const comment = fields.comment;
    delete fields.comment;
    if (comment !== undefined && (typeof comment !== 'string' || comment.length > 2000))
      throw AppException.invalid([{ field: 'comment', reason: 'must be text of at most 2000 characters' }]);
    const task = await this.workflow.send(WorkflowPattern.TaskGet, GetTaskCommand.create({ actor, taskId }));
    const orders = await this.workflow.send(
      WorkflowPattern.WorkOrderList,
      ListWorkOrdersCommand.create({
        actor,
        instanceId: task.instanceId,
        scope: 'all',
        pageNum: 1,
        pageSize: 1,
      }),
    );
    if (orders.rows.length === 0) {
      await this.workflow.send(
        WorkflowPattern.TaskComplete,
        CompleteTaskCommand.create({ actor, taskId, comment, variables: fields, idempotencyKey }),
      );
      return { processInstanceId: task.instanceId, taskId, finished: null, openTasks: [] };
    }
    const order = await this.workflow.send(
      WorkflowPattern.WorkOrderHandle,
      HandleWorkOrderCommand.create({
        actor,
        id: orders.rows[0].id,
        taskId,
        data: fields,
        comment,
        idempotencyKey,
      }),
    );
    return { ...progressOf(order), taskId };
  }

  claim(actor: Actor, taskId: string) {
    return this.workflow.send(WorkflowPattern.TaskClaim, TaskRefCommand.create({ actor, taskId }));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Yes/no answers in any legacy spelling become the form's 是 / 否; `""` is not decided yet. */
function yesNoAsForm(fields: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(fields)) {
    if (!/^is[A-Z]/.test(key)) continue;
    if (value === UNDECIDED) fields[key] = undefined;
    else if (YES_ANSWERS.includes(value)) fields[key] = '是';
    else if (NO_ANSWERS.includes(value)) fields[key] = '否';
  }
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}

function progressOf(order: WorkOrderDetailReply) {
  return {
    processInstanceId: order.instanceId,
    serialNumber: order.number,
    workOrderId: order.id,
    status: order.status,
    taskId: order.openTasks[0]?.id ?? null,
    openTasks: order.openTasks.map((t) => ({ taskId: t.id, name: t.name, elementId: t.elementId })),
  };
}
