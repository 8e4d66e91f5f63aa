import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  type Actor,
  CreateWorkOrderCommand,
  LaunchWorkOrderCommand,
  StartInstanceCommand,
  WorkflowPattern,
  type WorkOrderDetailReply,
  WorkOrderRefCommand,
} from '@app/contracts';
import { AppException } from '@app/common';
import type { DataModelEntity } from '@app/database';
import { WorkflowClient } from '../../workflow-client/workflow.client';
import type { StartedFlowDto, StartFlowDto } from '../data-models.dto';
import { DataModelException, DataModelReason } from '../data-models.exception';
import { ModelsRepository } from '../schema/models.repository';
import { ModelsService, specsOf } from '../schema/models.service';
import { valuesByKey, RecordsService } from '../records/records.service';
import type { RecordRow } from '../records/records.repository';
import { RecordFlowsRepository } from './record-flows.repository';

/** The work orders this feature files carry this system id (seed 004 `systemId`). */
export const DATA_MODELS_SYSTEM = 'data-models';

/**
 * Starts work orders and processes from saved records (seed 002: `dataId` is the saved form data). The
 * variables come from the record: through the model's binding of the flow (`variable → field`), or every
 * live field under its key. Each record starts a given flow once (a second launch is 4090, as in seed 002).
 */
@Injectable()
export class RecordFlowsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly flows: RecordFlowsRepository,
    private readonly models: ModelsService,
    private readonly modelRows: ModelsRepository,
    private readonly records: RecordsService,
    private readonly workflow: WorkflowClient,
  ) {}

  async start(
    actor: Actor,
    key: string,
    id: string,
    dto: StartFlowDto,
    idempotencyKey?: string,
  ): Promise<StartedFlowDto> {
    const model = await this.models.load(key);
    const record = await this.records.load(actor, model, id);
    return this.run(actor, model, record, dto, idempotencyKey);
  }

  /**
   * Seed 002 `/flow/launch` when its flowCode is bound to a model: `dataId` is a record of that model
   * (404 if the caller cannot see one). Null when no model binds the flow (then dataId is a saved
   * work order, as before).
   */
  async launchFromLegacy(
    actor: Actor,
    launch: { dataId: string; flowCode?: string; flowRunningNumber?: string },
    idempotencyKey?: string,
  ): Promise<WorkOrderDetailReply | null> {
    if (!launch.flowCode) return null;
    const bound = await this.modelRows.bindingFlow(launch.flowCode);
    if (bound.length === 0) return null;
    for (const model of bound) {
      const record = await this.records.load(actor, model, launch.dataId).catch(() => null);
      if (!record) continue;
      const started = await this.run(
        actor,
        model,
        record,
        { flowCode: launch.flowCode, kind: 'work_order', flowRunningNumber: launch.flowRunningNumber },
        idempotencyKey,
      );
      return this.workflow.send(
        WorkflowPattern.WorkOrderGet,
        WorkOrderRefCommand.create({ actor, id: started.workOrderId! }),
      );
    }
    throw AppException.notFound('dataId', launch.dataId);
  }

  /** Process variables from the record (binding or every field by key), plus where they came from. */
  variables(model: DataModelEntity, record: RecordRow, flowCode: string): Record<string, unknown> {
    const binding = model.flows.find((b) => b.flowCode === flowCode);
    const fields = specsOf(model);
    const mapped =
      binding && Object.keys(binding.variables).length > 0
        ? Object.fromEntries(
            Object.entries(binding.variables)
              .filter(([, fieldId]) => record.data[fieldId] !== undefined)
              .map(([name, fieldId]) => [name, record.data[fieldId]]),
          )
        : valuesByKey(
            fields.filter((f) => !f.deprecated),
            record.data,
          );
    return { ...mapped, dataModel: model.key, dataRecordId: record.id };
  }

  private async run(
    actor: Actor,
    model: DataModelEntity,
    record: RecordRow,
    dto: StartFlowDto,
    idempotencyKey?: string,
  ): Promise<StartedFlowDto> {
    const variables = this.variables(model, record, dto.flowCode);
    const binding = model.flows.find((b) => b.flowCode === dto.flowCode);
    const titled = binding?.title ? record.data[binding.title] : undefined;
    const title = String(titled ?? `${model.name} ${record.id}`).slice(0, 200);
    return this.dataSource.transaction(async (manager) => {
      const flow = { recordId: record.id, flowCode: dto.flowCode };
      if (!(await this.flows.claim(manager, { ...flow, actorId: actor.id })))
        throw DataModelException.conflict(
          DataModelReason.AlreadyStarted,
          `record ${record.id} has started flow ${dto.flowCode} already`,
        );
      const key = idempotencyKey ?? `dm-${record.id}-${dto.flowCode}`.slice(0, 200);
      let workOrderId: string | null;
      let number: string | null;
      let instanceId: string | null;
      if (dto.kind === 'process') {
        const started = await this.workflow.send(
          WorkflowPattern.InstanceStart,
          StartInstanceCommand.create({
            actor,
            definitionKey: dto.flowCode,
            businessKey: `record:${record.id}`,
            title,
            variables,
            idempotencyKey: key,
          }),
        );
        workOrderId = null;
        instanceId = started.id;
        number = started.serialNo;
      } else {
        const draft = await this.workflow.send(
          WorkflowPattern.WorkOrderCreate,
          CreateWorkOrderCommand.create({
            actor,
            title,
            systemId: DATA_MODELS_SYSTEM,
            definitionKey: dto.flowCode,
            formData: variables,
            draft: true,
            idempotencyKey: `${key}-v${record.version}`.slice(0, 200),
          }),
        );
        const launched = await this.workflow.send(
          WorkflowPattern.WorkOrderLaunch,
          LaunchWorkOrderCommand.create({
            actor,
            dataId: draft.id,
            flowCode: dto.flowCode,
            flowRunningNumber: dto.flowRunningNumber,
            idempotencyKey: key,
          }),
        );
        workOrderId = launched.id;
        number = launched.number;
        instanceId = launched.instanceId;
      }
      await this.flows.link(manager, flow, { workOrderId, instanceId });
      return { recordId: record.id, flowCode: dto.flowCode, workOrderId, number, instanceId, variables };
    });
  }
}
