import { WorkflowEventTopic } from '@app/contracts';
import type { EntityManager } from 'typeorm';
import { SlaRepository } from './sla.repository';

/**
 * The SLA ladder of a task with a due time (BPMN `dueDate` on the node): remind → urge → escalate.
 * Each step is a `job` row (kinds below) keyed by the task, so a node entered again (a return, a
 * loop) gets a new task and with it a fresh ladder, and each step of one task fires once.
 *
 * With T = due − created: remind at 80 % of T, urge at the due time, escalate at due + 50 % of T.
 */
export const SLA_STEPS = [
  {
    kind: 'sla.remind',
    topic: WorkflowEventTopic.SlaReminded,
    at: (created: number, due: number) => created + 0.8 * (due - created),
  },
  { kind: 'sla.urge', topic: WorkflowEventTopic.SlaUrged, at: (_created: number, due: number) => due },
  {
    kind: 'sla.escalate',
    topic: WorkflowEventTopic.SlaEscalated,
    at: (created: number, due: number) => due + 0.5 * Math.max(due - created, 0),
  },
] as const;

export type SlaKind = (typeof SLA_STEPS)[number]['kind'];

export const slaTimerId = (taskId: string, kind: string) => `${kind}:${taskId}`;

// The execution step calls this free function with its manager; the repository holds no connection.
const ladder = new SlaRepository();

/** Arms the ladder of a task just created (called in the transaction that creates it). */
export async function armSlaLadder(
  manager: EntityManager,
  task: { id: string; instanceId: string; elementId: string; createdAt: Date; dueAt: Date | null },
): Promise<void> {
  if (!task.dueAt) return;
  const created = task.createdAt.getTime();
  const due = task.dueAt.getTime();
  await ladder.arm(
    manager,
    SLA_STEPS.map((step) => ({
      kind: step.kind,
      instanceId: task.instanceId,
      timerId: slaTimerId(String(task.id), step.kind),
      elementId: task.elementId,
      dueAt: new Date(step.at(created, due)),
    })),
  );
}
