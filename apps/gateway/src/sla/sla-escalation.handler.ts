import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  Actor,
  ErrorCode,
  HandOverTaskCommand,
  type WorkflowEvent,
  WorkflowEventTopic,
  WorkflowPattern,
} from '@app/contracts';
import { AppException } from '@app/common';
import { WorkflowClient } from '../workflow-client/workflow.client';
import type { WorkflowEventHandler } from '../workflow-events/workflow-event.handler';
import { DirectoryRepository } from '../identity/directory/directory.repository';

interface EscalatedTask {
  taskId?: string;
  assigneeId?: string | null;
  initiatorId?: string | null;
}

/** Answers that mean the task moved on by itself (done, cancelled, already with the manager). */
const SETTLED = new Set<ErrorCode>([ErrorCode.NotFound, ErrorCode.Conflict, ErrorCode.WrongCall]);

/**
 * Last step of the SLA ladder (DESIGN §5): the workflow app fires `sla.escalated`; the gateway owns
 * the directory, so it finds the manager and transfers the task as the system actor. The transfer
 * carries an idempotency key per task, so a redelivered event (the gateway crashed after the transfer,
 * before recording the event) changes nothing twice. A failure to reach the workflow app throws: the
 * event is not acknowledged and comes back.
 */
@Injectable()
export class SlaEscalationHandler implements WorkflowEventHandler {
  readonly topics = [WorkflowEventTopic.SlaEscalated];
  private readonly logger = new Logger(SlaEscalationHandler.name);

  constructor(
    private readonly workflow: WorkflowClient,
    private readonly directory: DirectoryRepository,
  ) {}

  async handle(event: WorkflowEvent, manager: EntityManager): Promise<void> {
    const task = event.payload as EscalatedTask;
    if (!task.taskId) return;
    // A task nobody holds escalates from the initiator: whose chain of command owns the delay.
    const from = task.assigneeId ?? task.initiatorId;
    const to = from ? await this.directory.managerAbove(from, manager) : null;
    if (!to || to === task.assigneeId) {
      this.logger.warn({ taskId: task.taskId, from }, 'overdue task has no manager to escalate to');
      return;
    }
    try {
      await this.workflow.send(
        WorkflowPattern.TaskTransfer,
        HandOverTaskCommand.create({
          actor: Actor.system(),
          taskId: task.taskId,
          userId: to,
          comment: '超时升级 escalated: overdue',
          idempotencyKey: `sla-escalate:${task.taskId}`,
        }),
      );
    } catch (error) {
      if (error instanceof AppException && SETTLED.has(error.code)) {
        this.logger.log({ taskId: task.taskId, code: error.code }, 'escalation skipped: task settled');
        return;
      }
      throw error;
    }
  }
}
