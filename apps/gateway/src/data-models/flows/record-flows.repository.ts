import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataRecordFlowEntity } from '@app/database';

type FlowOfRecord = Pick<DataRecordFlowEntity, 'recordId' | 'flowCode'>;

/** The "started once" rows of flows launched from records. */
@Injectable()
export class RecordFlowsRepository {
  /**
   * Takes the unique (record, flow) row in the caller's transaction; false when it exists already.
   * A concurrent second launch waits on the row until the first commits or rolls back.
   */
  async claim(
    manager: EntityManager,
    flow: FlowOfRecord & Pick<DataRecordFlowEntity, 'actorId'>,
  ): Promise<boolean> {
    const claimed = await manager
      .createQueryBuilder()
      .insert()
      .into(DataRecordFlowEntity)
      .values(flow)
      .orIgnore()
      .execute();
    return (claimed.raw as unknown[]).length > 0;
  }

  async link(
    manager: EntityManager,
    flow: FlowOfRecord,
    started: Pick<DataRecordFlowEntity, 'workOrderId' | 'instanceId'>,
  ): Promise<void> {
    await manager.update(DataRecordFlowEntity, { recordId: flow.recordId, flowCode: flow.flowCode }, started);
  }
}
