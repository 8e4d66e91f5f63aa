import { Inject, Injectable } from '@nestjs/common';
import {
  type Actor,
  CompleteAndJumpCommand,
  CompleteTaskCommand,
  type DefinitionReply,
  GetDefinitionCommand,
  GetFormCommand,
  GetTaskCommand,
  HandOverTaskCommand,
  InstanceRefCommand,
  ListDefinitionsCommand,
  ListInstancesCommand,
  ListTasksCommand,
  ReturnTaskCommand,
  StartInstanceCommand,
  TaskCommentCommand,
  WorkflowPattern,
} from '@app/contracts';
import { AppException } from '@app/common';
import { GatewayEnv } from '../../config/gateway.env';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { DirectoryRepository } from '../../identity/directory/directory.repository';
import type { LegacyListQueryDto, LegacyStartDto, LegacyTaskBoDto } from './work-order-center.dto';
import { asSeedFields, type SeedFieldNames } from './seed-fields';
import {
  legacyTable,
  mapLegacyDefinition,
  mapLegacyInstance,
  mapLegacyTask,
  taskRef,
} from './work-order-center.mapper';

const START_WRAPPER_KEYS = new Set(['processId', 'processDefId', 'variables']);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The flat variables map of `start/{processId}`, or a body with only the body form's keys read as that wrapper. */
function pathStartVariables(body: unknown): Record<string, unknown> | undefined {
  if (body === undefined || body === null) return undefined;
  if (!isObject(body))
    throw AppException.invalid([
      { field: 'variables', reason: 'the body must be a JSON object of variables' },
    ]);
  const wrapper =
    Object.keys(body).every((k) => START_WRAPPER_KEYS.has(k)) &&
    (body.variables === undefined || isObject(body.variables));
  return wrapper ? (body.variables as Record<string, unknown> | undefined) : body;
}

/**
 * Seed 004's `/workflow/process/*` and `/workflow/task/*` as thin adapters: each call becomes the
 * platform's workflow command, and its reply is reshaped into the seed's fields. No rule lives here.
 */
@Injectable()
export class WorkOrderCenterLegacyService {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly directory: DirectoryRepository,
    @Inject(GatewayEnv) private readonly config: GatewayEnv,
  ) {}

  async definitions(actor: Actor, q: LegacyListQueryDto) {
    const page = await this.workflow.send(
      WorkflowPattern.DefinitionList,
      ListDefinitionsCommand.create({
        actor,
        pageNum: q.pageNum,
        pageSize: q.pageSize,
        key: q.processKey,
        name: q.processName,
        category: q.category,
        startableOnly: true,
      }),
    );
    const forms = await this.startForms(actor, page.rows);
    return legacyTable(page, (d) =>
      mapLegacyDefinition(d, this.config.TZ_BUSINESS, d.startFormKey ? forms.get(d.startFormKey) : undefined),
    );
  }

  /** The forms bound to the start events (formId / formName of the process list); unknown keys stay null. */
  private async startForms(actor: Actor, definitions: DefinitionReply[]) {
    const keys = [...new Set(definitions.map((d) => d.startFormKey).filter((k): k is string => !!k))];
    const found = await Promise.all(
      keys.map((formKey) =>
        this.workflow
          .send(WorkflowPattern.FormGet, GetFormCommand.create({ actor, formKey }))
          .then((form) => [formKey, { id: form.id, name: form.name }] as const)
          .catch(() => null),
      ),
    );
    return new Map(found.filter((f) => f !== null));
  }

  /** Versions of the definitions of a page of tasks (procDefVersion), one look-up per definition. */
  private async versions(actor: Actor, definitionIds: string[]): Promise<Map<string, number>> {
    const found = await Promise.all(
      [...new Set(definitionIds)].map((id) =>
        this.workflow
          .send(WorkflowPattern.DefinitionGet, GetDefinitionCommand.create({ actor, id }))
          .then((d) => [id, d.version] as const)
          .catch(() => null),
      ),
    );
    return new Map(found.filter((f) => f !== null));
  }

  /** `start/{processId}`: RuoYi-Flowable-Plus posts the flat variables map there (A-13). */
  startById(actor: Actor, processId: string, body: unknown, idempotencyKey?: string) {
    return this.start(actor, { variables: pathStartVariables(body) }, processId, idempotencyKey);
  }

  async start(actor: Actor, body: LegacyStartDto, pathId?: string, idempotencyKey?: string) {
    const ref = pathId ?? body.processId ?? body.processDefId;
    if (!ref)
      throw AppException.invalid([{ field: 'processId', reason: 'processId (流程定义ID) is required' }]);
    // Our ids are numeric; a Flowable-style `key:version:uuid` or a bare key starts the newest version of the key.
    const byId = /^\d{1,18}$/.test(ref);
    const started = await this.workflow.send(
      WorkflowPattern.InstanceStart,
      StartInstanceCommand.create({
        actor,
        ...(byId ? { definitionId: ref } : { definitionKey: ref.split(':')[0] }),
        variables: body.variables,
        idempotencyKey,
      }),
    );
    return { code: 200, msg: '流程启动成功', data: taskRef(started.tasks[0]?.id ?? null, started.id) };
  }

  async ownList(actor: Actor, q: LegacyListQueryDto) {
    const page = await asSeedFields(LIST_QUERY_FIELDS, () =>
      this.workflow.send(
        WorkflowPattern.InstanceList,
        ListInstancesCommand.create({
          actor,
          scope: 'started',
          pageNum: q.pageNum,
          pageSize: q.pageSize,
          definitionKey: q.processKey,
          processName: q.processName,
          category: q.category,
          startedFrom: q.proStartBeginTime,
          startedTo: q.proStartEndTime,
        }),
      ),
    );
    const names = await this.directory.names(page.rows.map((r) => r.initiatorId));
    return legacyTable(page, (i) => mapLegacyInstance(i, names, this.config.TZ_BUSINESS));
  }

  async taskList(actor: Actor, q: LegacyListQueryDto, scope: 'todo' | 'done') {
    const page = await asSeedFields(LIST_QUERY_FIELDS, () =>
      this.workflow.send(
        WorkflowPattern.TaskList,
        ListTasksCommand.create({
          actor,
          scope,
          pageNum: q.pageNum,
          pageSize: q.pageSize,
          processKey: q.processKey,
          processName: q.processName,
          category: q.category,
          startedFrom: q.proStartBeginTime,
          startedTo: q.proStartEndTime,
          withInstance: true,
        }),
      ),
    );
    const names = await this.directory.names(page.rows.flatMap((t) => [t.assigneeId, t.initiatorId]));
    const versions = await this.versions(
      actor,
      page.rows.map((t) => t.definitionId),
    );
    return legacyTable(page, (t) =>
      mapLegacyTask(t, names, this.config.TZ_BUSINESS, versions.get(t.definitionId) ?? null),
    );
  }

  async complete(actor: Actor, bo: LegacyTaskBoDto, idempotencyKey?: string) {
    const taskId = requireTaskId(bo);
    const copyTo = bo.copyUserIds
      ?.split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const nextUserIds = bo.nextUserIds
      ?.split(/[,，]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const completion = {
      actor,
      taskId,
      comment: bo.comment,
      variables: bo.variables,
      copyTo,
      idempotencyKey,
      // Next-node approvers: the node the completion opens, whichever it is (A-83).
      ...(nextUserIds?.length ? { nextAssignees: { '*': nextUserIds } } : {}),
    };
    // targetKey on complete is a jump for those allowed to jump (A-14, A-47): one step, admins only
    const done = await asTaskBo(() =>
      bo.targetKey
        ? this.workflow.send(
            WorkflowPattern.TaskCompleteAndJump,
            CompleteAndJumpCommand.create({ ...completion, targetElementId: bo.targetKey }),
          )
        : this.workflow.send(WorkflowPattern.TaskComplete, CompleteTaskCommand.create(completion)),
    );
    return ok(taskRef(done.createdTasks[0]?.id ?? null, done.task.instanceId));
  }

  async reject(actor: Actor, bo: LegacyTaskBoDto, idempotencyKey?: string) {
    const taskId = requireTaskId(bo);
    const done = await this.workflow.send(
      WorkflowPattern.TaskReject,
      TaskCommentCommand.create({ actor, taskId, comment: bo.comment, idempotencyKey }),
    );
    return ok(taskRef(taskId, done.task.instanceId));
  }

  async handOver(actor: Actor, bo: LegacyTaskBoDto, how: 'delegate' | 'transfer', idempotencyKey?: string) {
    const taskId = requireTaskId(bo);
    if (!bo.userId)
      throw AppException.invalid([{ field: 'userId', reason: `userId names the user to ${how} to` }]);
    const pattern = how === 'delegate' ? WorkflowPattern.TaskDelegate : WorkflowPattern.TaskTransfer;
    const done = await this.workflow.send(
      pattern,
      HandOverTaskCommand.create({
        actor,
        taskId,
        userId: bo.userId,
        comment: bo.comment,
        idempotencyKey,
      }),
    );
    return ok(taskRef(taskId, done.task.instanceId));
  }

  async returnTo(actor: Actor, bo: LegacyTaskBoDto, idempotencyKey?: string) {
    const taskId = requireTaskId(bo);
    const targetElementId = bo.targetKey;
    if (!targetElementId)
      throw AppException.invalid([{ field: 'targetKey', reason: 'targetKey names the node to return to' }]);
    await asTaskBo(() =>
      this.workflow.send(
        WorkflowPattern.TaskReturn,
        ReturnTaskCommand.create({
          actor,
          taskId,
          targetElementId,
          comment: bo.comment,
          idempotencyKey,
        }),
      ),
    );
    const task = await this.workflow.send(WorkflowPattern.TaskGet, GetTaskCommand.create({ actor, taskId }));
    return ok(taskRef(taskId, task.instanceId));
  }

  /** stopProcess (取消, A-66): the whole instance, by procInsId or by one of its tasks. */
  async stop(actor: Actor, bo: LegacyTaskBoDto, idempotencyKey?: string) {
    const id = await this.instanceOf(actor, bo);
    await this.workflow.send(
      WorkflowPattern.InstanceStop,
      InstanceRefCommand.create({ actor, id, comment: bo.comment, idempotencyKey }),
    );
    return ok(taskRef(bo.taskId ?? null, id));
  }

  /** 删除任务 (A-65): removes the runtime data of the task's finished or stopped instance (admin). */
  async delete(actor: Actor, bo: LegacyTaskBoDto, idempotencyKey?: string) {
    const id = await this.instanceOf(actor, bo);
    await this.workflow.send(
      WorkflowPattern.InstanceDelete,
      InstanceRefCommand.create({ actor, id, comment: bo.comment, idempotencyKey }),
    );
    return ok(taskRef(bo.taskId ?? null, id));
  }

  private async instanceOf(actor: Actor, bo: LegacyTaskBoDto): Promise<string> {
    if (bo.procInsId) return bo.procInsId;
    const taskId = requireTaskId(bo);
    return (await this.workflow.send(WorkflowPattern.TaskGet, GetTaskCommand.create({ actor, taskId })))
      .instanceId;
  }
}

/** Platform field names of a failure → the TaskBo's: `copyTo[1]` → `copyUserIds[1]`, `nextAssignees.*[0]` → `nextUserIds[0]`. */
const TASK_BO_FIELDS: SeedFieldNames = [
  [/^copyTo(?=\[|$)/, 'copyUserIds'],
  [/^nextAssignees(?:\.[^.[]+)?(?=\[|$)/, 'nextUserIds'],
  [/^targetElementId(?=\[|\.|$)/, 'targetKey'],
];

/** Platform field names of a list failure → the list query's (the instance and the task lists name them differently). */
const LIST_QUERY_FIELDS: SeedFieldNames = [
  [/^(?:startedFrom|beginTime)$/, 'proStartBeginTime'],
  [/^(?:startedTo|endTime)$/, 'proStartEndTime'],
];

const asTaskBo = <T>(work: () => Promise<T>) => asSeedFields(TASK_BO_FIELDS, work);

function requireTaskId(bo: LegacyTaskBoDto): string {
  if (!bo.taskId) throw AppException.invalid([{ field: 'taskId', reason: 'taskId is required' }]);
  return bo.taskId;
}

function ok<T>(data: T) {
  return { code: 200, msg: '操作成功', data };
}
