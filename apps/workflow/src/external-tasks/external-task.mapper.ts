import type { ExternalTaskReply } from '@app/contracts';
import type { ExternalTaskEntity } from '@app/database';

export function mapExternalTask(task: ExternalTaskEntity): ExternalTaskReply {
  return {
    id: task.id,
    topic: task.topic,
    instanceId: task.instanceId,
    definitionKey: task.definitionKey,
    elementId: task.elementId,
    status: task.status,
    workerId: task.workerId,
    lockExpiresAt: task.lockExpiresAt?.toISOString() ?? null,
    retries: task.retries,
    errorMessage: task.errorMessage,
    createdAt: task.createdAt.toISOString(),
  };
}
