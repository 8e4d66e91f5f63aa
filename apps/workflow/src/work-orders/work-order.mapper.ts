import type { WorkOrderReply, WorkOrderStatus } from '@app/contracts';
import type { WorkOrderEntity } from '@app/database';

/** The work order's status, read from its instance (SQL form for lists and reports; `i` is the instance alias). */
export const WORK_ORDER_STATUS_SQL = `CASE WHEN i.id IS NULL THEN 'draft'
  WHEN i.status = 'running' THEN 'running' WHEN i.status = 'completed' THEN 'completed'
  WHEN i.status = 'rejected' THEN 'rejected' ELSE 'discarded' END`;

export function workOrderStatus(instanceStatus: string | null | undefined): WorkOrderStatus {
  if (!instanceStatus) return 'draft';
  if (instanceStatus === 'running' || instanceStatus === 'completed' || instanceStatus === 'rejected')
    return instanceStatus;
  return 'discarded';
}

export function mapWorkOrder(
  w: WorkOrderEntity,
  instanceStatus: string | null,
  currentNodes: string[] = [],
): WorkOrderReply {
  return {
    id: String(w.id),
    number: w.number,
    title: w.title,
    systemId: w.systemId,
    projectId: w.projectId,
    typeId: w.typeId,
    categoryId: w.categoryId,
    source: w.source,
    compensation: w.compensation,
    roomNumber: w.roomNumber,
    description: w.description,
    attachmentUrls: w.attachmentUrls,
    formData: w.formData,
    definitionKey: w.definitionKey,
    instanceId: w.instanceId,
    status: workOrderStatus(instanceStatus),
    currentNodes,
    evaluationScore: w.evaluationScore,
    evaluation: w.evaluation,
    closedAt: w.closedAt?.toISOString() ?? null,
    closeReason: w.closeReason,
    createdBy: w.createdBy,
    createdAt: new Date(w.createdAt).toISOString(),
  };
}
