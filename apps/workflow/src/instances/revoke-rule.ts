import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, ErrorCode } from '@app/contracts';
import type { ProcessInstanceEntity, TaskEntity } from '@app/database';
import { assertRunning, notYours, WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { type MovePlan, planMove } from '../engine';
import { MovePlanner } from '../execution/move-planner.service';
import { InstancesRepository } from './instances.repository';

/**
 * Revoke (撤回): the last handler, or the initiator, takes back the last completion while no task it
 * opened has been handled: the tokens move back to that task's node (same checks as a return). The
 * revoke command runs `plan`; the instance detail asks `allows` to offer the button only when it works.
 */
@Injectable()
export class RevokeRule {
  constructor(
    private readonly repository: InstancesRepository,
    private readonly planner: MovePlanner,
  ) {}

  /** The completion to take back and the move doing it, or the refusal (403 / 409). */
  async plan(
    manager: EntityManager,
    actor: Actor,
    instance: ProcessInstanceEntity,
  ): Promise<{ last: TaskEntity; plan: MovePlan }> {
    const last = await this.repository.lastCompletedTask(manager, instance.id);
    const mine = last !== null && last.endedBy === actor.id;
    const initiator = instance.initiatorId === actor.id;
    if (!mine && !initiator) {
      const handledBefore = await this.repository.hasHandledTaskOf(manager, instance.id, actor.id);
      if (!handledBefore) {
        throw notYours(instance);
      }
    }
    assertRunning(instance);
    if (!last || last.outcome !== 'approved') {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.NothingToRevoke,
        last?.outcome === 'revoked'
          ? `the last completion of instance ${instance.id} was revoked already`
          : `instance ${instance.id} has no completion to revoke`,
      );
    }
    // the handler of an earlier step: someone else has completed a task since (the next node, or a
    // later one), so the run has moved on past their completion — a conflict of state, not of rights
    if (!mine && !initiator) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.NextNodeHandled,
        `${last.name} has been completed by someone else since your completion: revoke is no longer possible`,
      );
    }
    const next = await this.repository.openTasksCreatedSince(
      manager,
      instance.id,
      last.endedAt ?? new Date(0),
    );
    const touched = await this.repository.anyTaskTouched(
      manager,
      next.map((t) => t.id),
    );
    if (touched || next.some((t) => t.delegationState !== null)) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.NextNodeHandled,
        'a task of the next node has been handled already: revoke is no longer possible',
      );
    }
    const facts = await this.planner.facts(manager, instance.id);
    const result = planMove(facts, last.elementId);
    if (!result.ok) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.NextNodeHandled,
        `cannot revoke to <${last.elementId}>: ${result.reason}`,
      );
    }
    return { last, plan: result.plan };
  }

  async allows(manager: EntityManager, actor: Actor, instance: ProcessInstanceEntity): Promise<boolean> {
    try {
      await this.plan(manager, actor, instance);
      return true;
    } catch (error) {
      if (error instanceof WorkflowException) return false;
      throw error;
    }
  }
}
