import type { TaskReply } from '@app/contracts';
import type { TaskListed } from './tasks.repository';

export function mapTask(task: TaskListed): TaskReply {
  return {
    id: task.id,
    instanceId: task.instanceId,
    definitionId: task.definitionId,
    definitionKey: task.definitionKey,
    processName: task.processName,
    category: task.category,
    elementId: task.elementId,
    name: task.name,
    assigneeId: task.assigneeId,
    ownerId: task.ownerId,
    candidates: task.candidates,
    formKey: task.formKey,
    priority: task.priority,
    dueAt: task.dueAt?.toISOString() ?? null,
    status: task.status,
    outcome: task.outcome,
    initiatorId: task.initiatorId,
    instanceStartedAt: task.instanceStartedAt.toISOString(),
    createdAt: task.createdAt.toISOString(),
    endedAt: task.endedAt?.toISOString() ?? null,
    endedBy: task.endedBy,
    multiInstance:
      task.miTotal !== null && task.miIndex !== null ? { index: task.miIndex, total: task.miTotal } : null,
    delegationState: task.delegationState,
  };
}
