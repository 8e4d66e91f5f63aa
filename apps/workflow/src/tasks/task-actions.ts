import type { Actor, TaskAction } from '@app/contracts';
import type { TaskEntity } from '@app/database';
import { identitiesOf, isCandidate } from '../common/candidate-keys';
import { holdsDelegation, seesEverything } from '../common/visibility';

/**
 * The operations `actor` may do on `task` now: the same checks the task and signer commands make,
 * gathered so a client shows only the buttons that will work.
 */
export function taskActionsFor(actor: Actor, task: TaskEntity): TaskAction[] {
  if (task.status !== 'open') return [];
  const admin = seesEverything(actor);
  const multiInstance = task.miTotal !== null;
  if (!task.assigneeId) {
    if (isCandidate(actor, task.candidates))
      return ['claim', 'complete', 'reject', 'return', 'delegate', 'transfer'];
    return admin ? ['transfer'] : [];
  }
  const holder = identitiesOf(actor).includes(task.assigneeId);
  const delegated = task.delegationState === 'pending';
  const actions: TaskAction[] = [];
  if (holdsDelegation(actor, task)) {
    actions.push('resolve');
  } else if (holder || task.ownerId === actor.id) {
    actions.push('complete', 'reject', 'return');
    if (holder && !delegated) actions.push('delegate');
    actions.push('transfer');
  } else if (admin) {
    actions.push('transfer');
  }
  if (((holder && !delegated) || admin) && task.candidates.length > 0) actions.push('unclaim');
  if (multiInstance && (holder || admin)) actions.push('addSigner', 'removeSigner');
  return actions;
}
