import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type WorkflowEvent, WorkflowEventTopic } from '@app/contracts';
import { STAFF_ID } from '@app/database';
import type { EventBatch } from '../../workflow-events/event-batch';
import type { WorkflowEventHandler } from '../../workflow-events/workflow-event.handler';
import { DirectoryRepository } from '../../identity/directory/directory.repository';
import { type LocalText, MessageDispatcher } from '../centre/message-dispatcher';
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
    const items: { users: string[]; title: LocalText; body: LocalText | null; taskId: string | null }[] = [];
    const title = (text: string) => titled(event.topic as string, text);
    const due = p.dueAt ? dueText(String(p.dueAt)) : null;
    switch (event.topic as string) {
      case WorkflowEventTopic.TaskCreated:
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId, p.candidates),
          title: title(`${process}${p.name ?? ''}`),
          body: due,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.TaskAssigned:
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId),
          title: title(`${p.name ?? ''}${serial}`),
          body: null,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.TaskCopied:
        items.push({
          users: ((p.userIds as unknown[]) ?? []).map(String).filter((id) => STAFF_ID.test(id)),
          title: title(`${p.name ?? ''}${serial}`),
          body: null,
          taskId: p.taskId ?? null,
        });
        break;
      case WorkflowEventTopic.InstanceUrged:
        for (const task of (p.tasks as TaskRef[]) ?? []) {
          items.push({
            users: await resolveRecipients(this.directory, manager, task.assigneeId, task.candidates),
            title: title(`${process}${task.name ?? ''}${serial}`),
            body: typeof p.message === 'string' ? { 'zh-CN': p.message, en: p.message } : null,
            taskId: task.taskId ?? null,
          });
        }
        break;
      default: // SLA ladder steps
        items.push({
          users: await resolveRecipients(this.directory, manager, p.assigneeId, p.candidates),
          title: title(`${p.name ?? ''}${serial}`),
          body: due,
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
/**
 * What each topic is called in the built-in text, per message language (the recipient's is used; a
 * title used to carry both, so the Chinese console's inbox read "新任务 New task: …").
 */
const TOPIC_NAMES: Record<string, LocalText> = {
  [WorkflowEventTopic.TaskCreated]: { 'zh-CN': '新任务', en: 'New task' },
  [WorkflowEventTopic.TaskAssigned]: { 'zh-CN': '任务已分配给您', en: 'Task assigned' },
  [WorkflowEventTopic.TaskCopied]: { 'zh-CN': '抄送', en: 'Copied' },
  [WorkflowEventTopic.InstanceUrged]: { 'zh-CN': '催办', en: 'Urged' },
  [WorkflowEventTopic.SlaReminded]: { 'zh-CN': '到期提醒', en: 'Due soon' },
  [WorkflowEventTopic.SlaUrged]: { 'zh-CN': '超时催办', en: 'Overdue' },
  [WorkflowEventTopic.SlaEscalated]: { 'zh-CN': '超时升级', en: 'Escalated' },
};
const titled = (topic: string, text: string): LocalText => ({
  'zh-CN': `${TOPIC_NAMES[topic]?.['zh-CN'] ?? topic}: ${text}`,
  en: `${TOPIC_NAMES[topic]?.en ?? topic}: ${text}`,
});
const dueText = (dueAt: string): LocalText => ({ 'zh-CN': `办理期限 ${dueAt}`, en: `due ${dueAt}` });
