import type { Actor } from '../actor';
import { actorHas } from './common';

/** Admins (`workflow:admin`) and the `all` data scope see every instance and task, and start anything. */
export function seesEverything(actor: Actor): boolean {
  return actorHas(actor, 'workflow:admin') || actor.dataScope === 'all';
}

/**
 * The caller's candidate keys: `user:<id>` and `user:<sign-in name>`, and `group:<value>` for every way
 * a model may name one of their groups (a staff group id, a role code, `group:<id>`, `role:<code>`,
 * `dept:<id>`). Task candidates and candidate starters are stored in this form (docs/workflow.md).
 */
export function candidateKeysOfActor(actor: Actor): string[] {
  const keys = [`user:${actor.id}`];
  if (actor.account) keys.push(`user:${actor.account}`);
  for (const group of actor.groupIds) keys.push(`group:${group}`, `group:group:${group}`);
  for (const role of actor.roles) keys.push(`group:${role}`, `group:role:${role}`);
  if (actor.departmentId) keys.push(`group:dept:${actor.departmentId}`);
  return keys;
}

/**
 * All that decides which definitions the caller may start (candidate starters): null when they may
 * start every one, else the keys a definition's starters must share. The workflow app's start check
 * and startable list use it, and the gateway keys its cached startable pages by it.
 */
export function starterKeysOfActor(actor: Actor): string[] | null {
  return seesEverything(actor) ? null : candidateKeysOfActor(actor);
}
