import { type Actor, actorHas, type InstanceAction } from '@app/contracts';
import type { ProcessInstanceEntity } from '@app/database';

/** Seed 002 / A-49: a rejected (驳回) or discarded (废弃) run may be relaunched. */
export const RELAUNCHABLE = ['rejected', 'discarded'];

/**
 * The operations `actor` may do on `instance` now: the same checks the instance commands make (urge's
 * from UrgeRule and revoke's from RevokeRule, answered by the caller), gathered so a client shows only
 * the buttons that will work.
 */
export function instanceActionsFor(
  actor: Actor,
  instance: ProcessInstanceEntity,
  facts: { urgeable: boolean; revocable: boolean; relaunched: boolean },
): InstanceAction[] {
  const initiator = instance.initiatorId === actor.id;
  const actions: InstanceAction[] = [];
  if (instance.status === 'running') {
    if (facts.urgeable) actions.push('urge');
    if (facts.revocable) actions.push('revoke');
    if (initiator || actorHas(actor, 'workflow:admin')) actions.push('stop');
  }
  if (initiator && RELAUNCHABLE.includes(instance.status) && !facts.relaunched) actions.push('relaunch');
  return actions;
}
