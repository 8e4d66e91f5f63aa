import { type Actor, candidateKeysOfActor } from '@app/contracts';

export { candidateKeysOfActor };

/**
 * Task candidates are stored as keys so "my todo" is one array-overlap query on an indexed column:
 * `user:<id>` for candidate users, `group:<value>` for candidate groups as written in the model.
 * A group value matches a staff group id, a role code, `role:<code>`, `group:<id>` or `dept:<id>`.
 */
export function candidateKeysOfTask(
  candidateUsers: readonly string[],
  candidateGroups: readonly string[],
): string[] {
  const keys = [...candidateUsers.map((u) => `user:${u}`), ...candidateGroups.map((g) => `group:${g}`)];
  return [...new Set(keys)];
}

/** Assignees are written as a staff id or a sign-in name. */
export function identitiesOf(actor: Actor): string[] {
  return actor.account ? [actor.id, actor.account] : [actor.id];
}

export function isCandidate(actor: Actor, candidates: readonly string[]): boolean {
  const mine = new Set(candidateKeysOfActor(actor));
  return candidates.some((key) => mine.has(key));
}
