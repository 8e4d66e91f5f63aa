import { WorkflowEventTopic } from '@app/contracts';

/**
 * The variables a template of each event type may use, with a sample value each (preview). They are the
 * event's payload as the workflow app writes it (apps/workflow execution/tasks/operations emit calls),
 * plus what the centre adds for every message: the recipient and the event envelope.
 */
type Schema = Record<string, string | number | null | string[]>;

const RECIPIENT: Schema = {
  'recipient.id': '1001',
  'recipient.name': '张三',
  'recipient.account': 'zhangsan',
  'recipient.mobile': '13812341234',
  'recipient.email': 'zhangsan@example.com',
};
const ENVELOPE: Schema = {
  'event.id': '7a0c2c8e-2f7e-4a43-9b1e-8f4d1c0b5a11',
  'event.topic': 'task.created',
  'event.createdAt': '2026-12-01T09:30:00.000+08:00',
  instanceId: '42',
};
const TASK: Schema = { taskId: '314', name: '部门经理审批', serialNo: 'WO-20261201-0001' };

export const EVENT_SCHEMAS: Record<string, Schema> = {
  [WorkflowEventTopic.TaskCreated]: {
    ...TASK,
    elementId: 'managerApproval',
    assigneeId: '1001',
    candidates: ['group:2'],
    processName: '请假申请',
    dueAt: '2026-12-02T18:00:00.000+08:00',
  },
  [WorkflowEventTopic.TaskAssigned]: { ...TASK, assigneeId: '1001', processName: '请假申请' },
  [WorkflowEventTopic.TaskCompleted]: { ...TASK, completedBy: '1002', outcome: 'approved' },
  [WorkflowEventTopic.TaskCopied]: { ...TASK, copiedBy: '1002', userIds: ['1001'] },
  [WorkflowEventTopic.InstanceUrged]: {
    serialNo: 'WO-20261201-0001',
    processName: '请假申请',
    urgedBy: '1002',
    message: '请尽快处理',
  },
  [WorkflowEventTopic.InstanceEnded]: { status: 'completed', reason: null, serialNo: 'WO-20261201-0001' },
  [WorkflowEventTopic.SlaReminded]: { ...TASK, assigneeId: '1001', dueAt: '2026-12-02T18:00:00.000+08:00' },
  [WorkflowEventTopic.SlaUrged]: { ...TASK, assigneeId: '1001', dueAt: '2026-12-02T18:00:00.000+08:00' },
  [WorkflowEventTopic.SlaEscalated]: { ...TASK, assigneeId: '1001', dueAt: '2026-12-02T18:00:00.000+08:00' },
};

/** Event types a template may be written for. */
export const TEMPLATE_EVENT_TYPES = Object.keys(EVENT_SCHEMAS);

/** Every variable of the event type (payload, recipient, envelope) with its sample value. */
export function variablesOf(eventType: string): Schema | undefined {
  const payload = EVENT_SCHEMAS[eventType];
  if (!payload) return undefined;
  return { ...payload, ...RECIPIENT, ...ENVELOPE, 'event.topic': eventType };
}

/** Nested sample data of an event type (what a preview renders). */
export function sampleData(eventType: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(variablesOf(eventType) ?? {})) {
    const keys = path.split('.');
    let node = out;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  }
  return out;
}
