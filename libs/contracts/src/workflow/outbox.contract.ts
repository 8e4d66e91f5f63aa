import { IsArray, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Command } from '../commands/command';

/** Topics of the workflow outbox (DESIGN §1). Do not rename: stored rows and consumers use them. */
export enum WorkflowEventTopic {
  TaskCreated = 'task.created',
  TaskAssigned = 'task.assigned',
  TaskCompleted = 'task.completed',
  TaskCancelled = 'task.cancelled',
  InstanceStarted = 'instance.started',
  InstanceEnded = 'instance.ended',
  /** Urge (催办): notify the current assignees and candidates. */
  InstanceUrged = 'instance.urged',
  /** Copy-to (抄送): these users were copied on a task. */
  TaskCopied = 'task.copied',
  /** SLA ladder (DESIGN §5), one event per step of a task with a due time. */
  SlaReminded = 'sla.reminded',
  SlaUrged = 'sla.urged',
  /** The gateway transfers the task to the holder's manager on this one. */
  SlaEscalated = 'sla.escalated',
  /** An ended instance was deleted for good (with its descendants: `payload.instanceIds`). */
  InstanceDeleted = 'instance.deleted',
  /** A BPMN listener the operator maps to "publish" (BPMN_LISTENERS) ran: element, event, listener name. */
  ListenerPublished = 'listener.published',
}

export class FetchEventsCommand extends Command {
  @IsString() @MaxLength(64) consumer!: string;
  @IsInt() @Min(1) @Max(500) limit: number = 100;
  /** The lease: events not acknowledged within it are handed out again. */
  @IsInt() @Min(1000) @Max(600_000) leaseMs: number = 30_000;
  /** Long polling: with nothing to hand out, wait up to this long for events committed meanwhile. */
  @IsInt() @Min(0) @Max(30_000) waitMs: number = 0;
}

export class AckEventsCommand extends Command {
  @IsArray() @IsUUID('all', { each: true }) ids!: string[];
}

export class RetryEventCommand extends Command {
  @IsUUID('all') id!: string;
  /** The backoff: the event is handed out again no earlier than this. */
  @IsInt() @Min(0) @Max(3_600_000) delayMs!: number;
}

export interface WorkflowEvent {
  id: string;
  topic: WorkflowEventTopic;
  instanceId: string | null;
  payload: Record<string, unknown>;
  createdAt: string;
  attempts: number;
}
