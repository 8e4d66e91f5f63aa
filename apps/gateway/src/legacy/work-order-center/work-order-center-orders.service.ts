import { Injectable } from '@nestjs/common';
import {
  type Actor,
  CreateWorkOrderCommand,
  GetDefinitionCommand,
  ListClassificationCommand,
  ProcessFormCommand,
  type WorkOrderCategoryReply,
  WorkflowPattern,
} from '@app/contracts';
import { AppException } from '@app/common';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import { AttachmentsService } from '../../attachments/attachments.service';
import type {
  LegacyCreateWorkOrderDto,
  LegacyProcessFormQueryDto,
  LegacyTypePageQueryDto,
} from './work-order-center.dto';
import { taskRef } from './work-order-center.mapper';
import { asSeedFields, type SeedFieldNames } from './seed-fields';

const DONE = '操作成功';
const NUMERIC_ID = /^\d{1,18}$/;

/**
 * Seed 004's form and work-order calls (getProcessForm, the two type lists, 创建工单) over the platform's
 * work-order commands; the seed's `{code:200,msg,data}` bodies are shaped here and nothing else.
 */
/** The platform's work-order fields → 创建工单's (a failure names what the client sent). */
const WORK_ORDER_FIELDS: SeedFieldNames = [
  [/^definitionKey$/, 'processId'],
  [/^(?:typeId|categoryId)$/, 'workorderId'],
  [/^instanceId$/, 'procInstId'],
  [/^formData(?=\.|\[|$)/, 'params'],
];

@Injectable()
export class WorkOrderCenterOrdersService {
  constructor(
    private readonly workflow: WorkflowClient,
    private readonly attachments: AttachmentsService,
  ) {}

  /** the definition by id or key; a `deployId` of another definition → 404. */
  async processForm(actor: Actor, q: LegacyProcessFormQueryDto) {
    const byId = NUMERIC_ID.test(q.definitionId);
    const form = await this.workflow.send(
      WorkflowPattern.ProcessForm,
      ProcessFormCommand.create({
        actor,
        ...(byId ? { definitionId: q.definitionId } : { definitionKey: q.definitionId.split(':')[0] }),
        ...(q.procInsId && { instanceId: q.procInsId }),
      }),
    );
    // The deployment of a Flowdesk definition is the definition version itself: anything else is not its deployment.
    if (q.deployId && q.deployId !== form.definitionId) throw AppException.notFound('deployment', q.deployId);
    return {
      code: 200,
      msg: DONE,
      data: {
        definitionId: form.definitionId,
        deployId: form.definitionId,
        processKey: form.definitionKey,
        formKey: form.formKey,
        formName: form.form?.name ?? null,
        formContent: form.form?.schema ?? null,
        procInsId: form.instanceId,
        taskId: form.taskId,
        formData: form.data,
      },
    };
  }

  /** 查询应用工单类型: secrets are never listed. */
  async appTypes(actor: Actor, q: LegacyTypePageQueryDto) {
    const page = await this.workflow.send(
      WorkflowPattern.WorkOrderTypeList,
      ListClassificationCommand.create({ actor, pageNum: q.pageNo, pageSize: q.pageSize }),
    );
    return {
      code: 200,
      msg: DONE,
      total: page.total,
      data: page.rows.map((t) => ({
        appId: t.id,
        applicationName: t.name,
        applicationId: t.appCode ?? '',
        applicationSecret: '',
        appFlag: '0',
        images: t.iconUrl ?? '',
      })),
    };
  }

  /** 查询综合工单类型: the category tree, flattened parent-first and paged. */
  async synthesisTypes(actor: Actor, q: LegacyTypePageQueryDto) {
    const tree = await this.workflow.send(
      WorkflowPattern.WorkOrderCategoryTree,
      ListClassificationCommand.create({ actor, pageNum: 1, pageSize: 200 }),
    );
    const flat: WorkOrderCategoryReply[] = [];
    const walk = (nodes: WorkOrderCategoryReply[]) => {
      for (const node of nodes) {
        flat.push(node);
        walk(node.children);
      }
    };
    walk(tree);
    const start = (q.pageNo - 1) * q.pageSize;
    return {
      code: 200,
      msg: DONE,
      total: flat.length,
      data: flat.slice(start, start + q.pageSize).map((c) => ({
        synthesisId: c.id,
        parentId: c.parentId,
        categoryName: c.name,
        description: c.description ?? '',
        childFlag: c.children.length > 0,
      })),
    };
  }

  /** 创建工单: start `processId` with `params`, or bind the instance the caller already started. */
  async create(actor: Actor, body: LegacyCreateWorkOrderDto, idempotencyKey?: string) {
    const synthesis = body.workorderIdExtend?.split(',')[0]?.trim() === '2';
    const attachmentUrls = (body.attachmentUrls ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    await this.attachments.assertReferencesVisible(actor, attachmentUrls, 'attachmentUrls');
    const order = await asSeedFields(WORK_ORDER_FIELDS, async () =>
      this.workflow.send(
        WorkflowPattern.WorkOrderCreate,
        CreateWorkOrderCommand.create({
          actor,
          idempotencyKey,
          title: body.title,
          systemId: body.systemId,
          projectId: body.projectId || undefined,
          ...(body.workorderId &&
            (synthesis ? { categoryId: body.workorderId } : { typeId: body.workorderId })),
          definitionKey: body.procInstId ? undefined : await this.processKey(actor, body.processId),
          instanceId: body.procInstId,
          // the task of the instance it binds; a start makes its own (the document's taskId is then ignored)
          taskId: body.procInstId ? body.taskId || undefined : undefined,
          source: body.source || undefined,
          compensation: body.compensation || undefined,
          roomNumber: body.roomNumber || undefined,
          description: body.description || undefined,
          attachmentUrls,
          formData: body.params,
        }),
      ),
    );
    const taskId = (body.procInstId && body.taskId) || (order.openTasks[0]?.id ?? null);
    return { code: 200, msg: DONE, data: taskRef(taskId, order.instanceId ?? '') };
  }

  /** A definition id becomes its key; a Flowable-style `key:version:uuid` its key part. */
  private async processKey(actor: Actor, processId?: string): Promise<string | undefined> {
    if (!processId) return undefined;
    if (!NUMERIC_ID.test(processId)) return processId.split(':')[0];
    const definition = await this.workflow.send(
      WorkflowPattern.DefinitionGet,
      GetDefinitionCommand.create({ actor, id: processId }),
    );
    return definition.key;
  }
}
