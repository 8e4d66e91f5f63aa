import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WorkflowEventTopic } from '@app/contracts';
import type { TaskEntity } from '@app/database';
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

export type LadderTask = Pick<TaskEntity, 'id' | 'instanceId' | 'elementId' | 'createdAt' | 'dueAt'>;

@Injectable()
export class SlaLadderService {
  constructor(private readonly sla: SlaRepository) {}

  /**
   * Arms the ladders of the tasks a step just created, in the transaction that creates them: every
   * step of every task with a due time in one statement, task by task, each in ladder order.
   */
  async arm(manager: EntityManager, tasks: readonly LadderTask[]): Promise<void> {
    const steps = tasks.flatMap((task) => {
      if (!task.dueAt) return [];
      const created = task.createdAt.getTime();
      const due = task.dueAt.getTime();
      return SLA_STEPS.map((step) => ({
        kind: step.kind,
        instanceId: task.instanceId,
        timerId: slaTimerId(String(task.id), step.kind),
        elementId: task.elementId,
        dueAt: new Date(step.at(created, due)),
      }));
    });
    await this.sla.arm(manager, steps);
  }
}
