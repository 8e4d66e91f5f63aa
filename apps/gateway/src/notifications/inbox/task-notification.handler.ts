import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type WorkflowEvent, WorkflowEventTopic } from '@app/contracts';
import { STAFF_ID } from '@app/database';
import type { EventBatch } from '../../workflow-events/event-batch';
import type { WorkflowEventHandler } from '../../workflow-events/workflow-event.handler';
import { DirectoryRepository } from '../../identity/directory/directory.repository';
import { MessageDispatcher } from '../centre/message-dispatcher';
import { resolveRecipients } from './recipients';

interface TaskRef {
  taskId?: string;
  name?: string;
  assigneeId?: string | null;
  candidates?: string[];
}

/**
 * Tells people about workflow events through the message centre: new and reassigned tasks, urges
 * (催办), copies (抄送) and SLA steps. It decides who and the default text; the dispatcher applies
 * preferences, templates and masking per channel (inbox, stream, e-mail, SMS, robots). Runs in the
 * consumer's de-duplicating transaction; unique indexes keep each notification and send single.
 */
@Injectable()
export class TaskNotificationHandler implements WorkflowEventHandler {
  constructor(
    private readonly centre: MessageDispatcher,
    private readonly directory: DirectoryRepository,
  ) {}

  readonly topics = [
    WorkflowEventTopic.TaskCreated,
    WorkflowEventTopic.TaskAssigned,
    WorkflowEventTopic.InstanceUrged,
    WorkflowEventTopic.TaskCopied,
    ...SLA_TOPICS,
  ];

  async handle(event: WorkflowEvent, manager: EntityManager, batch?: EventBatch): Promise<void> {
    const p = event.payload as Record<string, unknown> & TaskRef;
    const serial = typeof p.serialNo === 'string' ? ` ${p.serialNo}` : '';
    const process = typeof p.processName === 'string' ? `${p.processName}: ` : '';
    const items: { users: string[]; title: string; body: string | null; taskId: string | null }[] = [];
    switch (event.topic as string) {
      case WorkflowEventTopic.TaskCreated:
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId, p.candidates),
          title: `新任务 New task: ${process}${p.name ?? ''}`,
          body: p.dueAt ? `due ${String(p.dueAt)}` : null,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.TaskAssigned:
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId),
          title: `任务已分配给您 Task assigned: ${p.name ?? ''}${serial}`,
          body: null,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.TaskCopied:
        items.push({
          users: ((p.userIds as unknown[]) ?? []).map(String).filter((id) => STAFF_ID.test(id)),
          title: `抄送 Copied: ${p.name ?? ''}${serial}`,
          body: null,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.InstanceUrged:
        for (const task of (p.tasks as TaskRef[]) ?? []) {
          items.push({
            users: await resolveRecipients(this.directory, manager, task.assigneeId, task.candidates),
            title: `催办 Urged: ${process}${task.name ?? ''}${serial}`,
            body: typeof p.message === 'string' ? p.message : null,
            taskId: task.taskId ?? null,
          });
        }
        break;
      default: // SLA ladder steps
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId, p.candidates),
          title: `${SLA_TITLES[event.topic as string] ?? event.topic}: ${p.name ?? ''}${serial}`,
          body: p.dueAt ? `due ${String(p.dueAt)}` : null,
          taskId: p.taskId ?? null,
        });
    }
    if (!items.some((item) => item.users.length > 0)) return;
    await this.centre.dispatch(
      manager,
      {
        messageId: event.id,
        eventType: event.topic,
        instanceId: event.instanceId,
        createdAt: event.createdAt,
        payload: event.payload,
      },
      items.map((item) => ({ userIds: item.users, title: item.title, body: item.body, taskId: item.taskId })),
      batch,
    );
  }
}

/** Topics of the SLA ladder (emitted by the workflow app's SLA runner). */
export const SLA_TOPICS = [
  WorkflowEventTopic.SlaReminded,
  WorkflowEventTopic.SlaUrged,
  WorkflowEventTopic.SlaEscalated,
] as const;
const SLA_TITLES: Record<string, string> = {
  [WorkflowEventTopic.SlaReminded]: '到期提醒 Due soon',
  [WorkflowEventTopic.SlaUrged]: '超时催办 Overdue',
  [WorkflowEventTopic.SlaEscalated]: '超时升级 Escalated',
};
