import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { type Actor, actorHas, ErrorCode } from '@app/contracts';
import type { ProcessInstanceEntity, TaskEntity } from '@app/database';
import { assertRunning, notYours, WorkflowException, WorkflowReason } from '../common/workflow.exception';
import { WorkflowEnv } from '../config/workflow.env';
import { InstancesRepository } from './instances.repository';

/** What an urge reaches: the open tasks and the keys of the people to notify. */
export interface UrgeTargets {
  readonly open: TaskEntity[];
  readonly notified: string[];
  /** When the next urge is allowed if this one is sent now. */
  readonly nextAllowedAt: Date;
}

/**
 * Urge (催办): the initiator or an admin reminds whoever holds the nodes being approved, at most once
 * per WORKFLOW_URGE_INTERVAL_S (the last `urge` comment is the clock). The urge command runs `check`;
 * the instance detail asks `allows`, so 催办 is offered only when the command would take it.
 */
@Injectable()
export class UrgeRule {
  constructor(
    private readonly repository: InstancesRepository,
    @Inject(WorkflowEnv) private readonly config: WorkflowEnv,
  ) {}

  async check(
    manager: EntityManager,
    actor: Actor,
    instance: ProcessInstanceEntity,
    now = new Date(),
  ): Promise<UrgeTargets> {
    if (!mayUrge(actor, instance)) throw notYours(instance);
    assertRunning(instance);
    const intervalMs = this.config.WORKFLOW_URGE_INTERVAL_S * 1000;
    const recent = await this.repository.latestCommentSince(
      manager,
      instance.id,
      'urge',
      new Date(now.getTime() - intervalMs),
    );
    if (recent) {
      const nextAllowedAt = new Date(recent.createdAt.getTime() + intervalMs).toISOString();
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.UrgeTooSoon,
        `instance ${instance.id} was urged at ${recent.createdAt.toISOString()}; next urge after ${nextAllowedAt}`,
      );
    }
    // a call activity's approvals are its child's tasks: the parent's urge reaches them too
    const ids = await this.repository.runTree(manager, instance.id);
    const open = await this.repository.openTasksOf(manager, ids);
    if (open.length === 0) {
      throw new WorkflowException(
        ErrorCode.Conflict,
        WorkflowReason.NothingToUrge,
        `instance ${instance.id} has no task being approved: nobody to urge`,
      );
    }
    const notified = [
      ...new Set(open.flatMap((t) => (t.assigneeId ? [`user:${t.assigneeId}`] : t.candidates))),
    ];
    return { open, notified, nextAllowedAt: new Date(now.getTime() + intervalMs) };
  }

  /**
   * Whether `check` would take the urge, for the instance detail: one statement (the urge clock and the
   * open tasks, call-activity children included), none when the caller or the status already says no.
   */
  async allows(
    manager: EntityManager,
    actor: Actor,
    instance: ProcessInstanceEntity,
    now = new Date(),
  ): Promise<boolean> {
    if (!mayUrge(actor, instance) || instance.status !== 'running') return false;
    const since = new Date(now.getTime() - this.config.WORKFLOW_URGE_INTERVAL_S * 1000);
    return this.repository.urgeable(manager, instance.id, since);
  }
}

/** The initiator or an admin. */
function mayUrge(actor: Actor, instance: ProcessInstanceEntity): boolean {
  return instance.initiatorId === actor.id || actorHas(actor, 'workflow:admin');
}
