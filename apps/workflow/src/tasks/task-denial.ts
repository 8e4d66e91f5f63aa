import { ErrorCode } from '@app/contracts';
import type { TaskEntity } from '@app/database';
import { WorkflowException, WorkflowReason } from '../common/workflow.exception';

/** 4001 for a caller who sees the task but takes no part in it (commands and the return-target query). */
export function denyTask(task: Pick<TaskEntity, 'id'>): never {
  throw new WorkflowException(
    ErrorCode.NoPermission,
    WorkflowReason.NotTaskParticipant,
    `you are not a participant of task ${task.id}`,
  );
}
