import { type Actor, starterKeysOfActor } from '@app/contracts';
import type { ProcessModel } from '../engine';
import { candidateKeysOfTask } from './candidate-keys';
import type { Bind } from './visibility';

/**
 * Who may start a definition: `candidateStarterUsers` / `candidateStarterGroups` on the process
 * (Camunda's and Flowable's) restrict it, none means everyone; admins and the `all` scope start
 * anything. The start check (`requireStarter`) and the startable list (`startableSql`) both go through
 * here, so the start page lists exactly what may be started (docs/workflow.md "Who may do what").
 */

/** A process's candidate starters as stored on its definition row (`starters`): task candidate keys. */
export function starterKeysOf(
  process: Pick<ProcessModel, 'candidateStarterUsers' | 'candidateStarterGroups'>,
): string[] {
  return candidateKeysOfTask(process.candidateStarterUsers, process.candidateStarterGroups);
}

export function mayStart(actor: Actor, starters: readonly string[]): boolean {
  if (starters.length === 0) return true;
  const mine = starterKeysOfActor(actor);
  return mine === null || starters.some((key) => mine.includes(key));
}

/** Definitions whose starters are the column `starters` that the actor may start; null: all of them. */
export function startableSql(actor: Actor, starters: string, bind: Bind): string | null {
  const mine = starterKeysOfActor(actor);
  if (mine === null) return null;
  return `(${starters} = '{}' OR ${starters} && ${bind(mine)}::text[])`;
}
