import type { CommentReply, HistoryEntryReply, InstanceSummaryReply } from '@app/contracts';
import type { ActivityHistoryEntity, CommentEntity, ProcessInstanceEntity } from '@app/database';

export function mapInstance(
  instance: ProcessInstanceEntity,
  currentNodes: string[] = [],
): InstanceSummaryReply {
  return {
    id: instance.id,
    serialNo: instance.serialNo,
    definitionId: instance.definitionId,
    definitionKey: instance.definitionKey,
    definitionVersion: instance.definitionVersion,
    processName: instance.processName,
    category: instance.category,
    businessKey: instance.businessKey,
    title: instance.title,
    status: instance.status,
    initiatorId: instance.initiatorId,
    startedAt: instance.startedAt.toISOString(),
    endedAt: instance.endedAt?.toISOString() ?? null,
    endReason: instance.endReason,
    parentInstanceId: instance.parentInstanceId,
    relaunchedFromId: instance.relaunchedFromId,
    currentNodes,
  };
}

export function mapHistory(row: ActivityHistoryEntity): HistoryEntryReply {
  return {
    elementId: row.elementId,
    executionId: row.executionId,
    elementType: row.elementType,
    elementName: row.elementName,
    taskId: row.taskId,
    actorId: row.actorId,
    enteredAt: row.enteredAt.toISOString(),
    leftAt: row.leftAt?.toISOString() ?? null,
    outcome: row.outcome,
  };
}

export function mapComment(row: CommentEntity): CommentReply {
  return {
    id: row.id,
    taskId: row.taskId,
    type: row.type,
    actorId: row.actorId,
    message: row.message,
    createdAt: row.createdAt.toISOString(),
  };
}
