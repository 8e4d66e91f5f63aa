import { FORM_ENTITIES } from './forms';
import { WORK_ORDER_ENTITIES } from './work-orders';
import { DefinitionCategoryEntity } from './category.entity';
import { CommentEntity } from './comment.entity';
import { ExternalTaskEntity } from './external-task.entity';
import { ProcessDefinitionEntity } from './definition.entity';
import { ActivityHistoryEntity } from './history.entity';
import { IdempotencyRecordEntity } from './idempotency.entity';
import { IncidentEntity } from './incident.entity';
import { ProcessInstanceEntity } from './instance.entity';
import { JobEntity } from './job.entity';
import { OutboxEventEntity } from './outbox.entity';
import { SerialCounterEntity } from './serial-counter.entity';
import { TaskCopyEntity } from './task-copy.entity';
import { TimerStartEntity } from './timer-start.entity';
import { TaskEntity } from './task.entity';

export * from './forms';
export * from './work-orders';
export * from './category.entity';
export * from './comment.entity';
export * from './external-task.entity';
export * from './definition.entity';
export * from './history.entity';
export * from './idempotency.entity';
export * from './incident.entity';
export * from './instance.entity';
export * from './job.entity';
export * from './outbox.entity';
export * from './serial-counter.entity';
export * from './task-copy.entity';
export * from './timer-start.entity';
export * from './task.entity';

export const WORKFLOW_ENTITIES = [
  DefinitionCategoryEntity,
  ProcessDefinitionEntity,
  ProcessInstanceEntity,
  TaskEntity,
  TaskCopyEntity,
  ActivityHistoryEntity,
  CommentEntity,
  JobEntity,
  OutboxEventEntity,
  IdempotencyRecordEntity,
  ExternalTaskEntity,
  TimerStartEntity,
  SerialCounterEntity,
  IncidentEntity,
  ...FORM_ENTITIES,
  ...WORK_ORDER_ENTITIES,
];
