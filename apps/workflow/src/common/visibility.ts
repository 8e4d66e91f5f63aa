import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { type Actor, seesEverything } from '@app/contracts';
import type { TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf, isCandidate } from './candidate-keys';

/**
 * Who may see what: the one rule behind every list, record read, search, export and statistic of
 * the workflow app (docs/workflow.md "Who may do what", docs/monitoring-and-reports.md).
 *
 * - Admins (`workflow:admin`) and the `all` data scope see everything.
 * - The owner of a row (an instance's initiator, a work order's creator) sees it, and by data scope
 *   so do the owner's departments (the actor's `departmentIds`).
 * - Whoever is involved in an instance sees it: holds, owns (delegation), may claim or handled one
 *   of its tasks, or was copied on one.
 * - A work order is visible to its creator, by scope to the creator's departments, and to whoever
 *   may see its instance; `workorder:admin` sees every work order.
 * - Statistics and the monitoring centre count by scope only (owner and departments): involvement
 *   in one task does not put an instance in someone's figures.
 *
 * The SQL is built here once; callers bind the values into their own statement (`Bind`).
 */

/** Adds a value to the statement being built and answers its placeholder. */
export type Bind = (value: unknown) => string;

/** Admins and `all` scope see every instance and task (shared with the gateway). */
export { seesEverything };

/** Work-order administrators see and intervene in every work order. */
export function isWorkOrderAdmin(actor: Actor): boolean {
  return (
    seesEverything(actor) || actor.permissions.includes('workorder:admin') || actor.permissions.includes('*')
  );
}

/** Owner and department scope of rows whose owner is `owner` and whose owner's department is `department`. */
function scopeClauses(actor: Actor, owner: string, department: string, bind: Bind): string[] {
  const clauses = [`${owner}::text = ${bind(actor.id)}`];
  if (actor.departmentIds.length > 0)
    clauses.push(`${department}::text = ANY(${bind(actor.departmentIds)}::text[])`);
  return clauses;
}

/** Involvement in the instance `instance` (an instance id expression): its tasks and copies. */
function involvementClauses(actor: Actor, instance: string, bind: Bind): string[] {
  const me = bind(actor.id);
  const ids = bind(identitiesOf(actor));
  return [
    `EXISTS (SELECT 1 FROM workflow.task vt WHERE vt.instance_id = ${instance} AND (vt.assignee_id = ANY(${ids}::text[]) OR vt.owner_id = ${me} OR vt.ended_by = ${me} OR vt.candidates && ${bind(candidateKeysOfActor(actor))}::text[]))`,
    `EXISTS (SELECT 1 FROM workflow.task_copy vc WHERE vc.instance_id = ${instance} AND vc.user_id = ANY(${ids}::text[]))`,
  ];
}

const any = (clauses: string[]) => (clauses.length === 1 ? clauses[0] : `(${clauses.join(' OR ')})`);

/** Instances (`alias` on `workflow.process_instance`) the actor may see; null: all of them. */
export function visibleInstancesSql(actor: Actor, alias: string, bind: Bind): string | null {
  if (seesEverything(actor)) return null;
  return any([
    ...scopeClauses(actor, `${alias}.initiator_id`, `${alias}.initiator_department_id`, bind),
    ...involvementClauses(actor, `${alias}.id`, bind),
  ]);
}

/** Work orders (`alias` on `workflow.work_order`) the actor may see; null: all of them. */
export function visibleWorkOrdersSql(actor: Actor, alias: string, bind: Bind): string | null {
  if (isWorkOrderAdmin(actor)) return null;
  const instance = visibleInstancesSql(actor, 'vi', bind);
  return any([
    ...scopeClauses(actor, `${alias}.created_by`, `${alias}.created_by_department`, bind),
    `EXISTS (SELECT 1 FROM workflow.process_instance vi WHERE vi.id = ${alias}.instance_id AND ${instance})`,
  ]);
}

/**
 * Statistics and monitoring: rows counted for the actor by scope (owner and departments), given
 * the owner and department columns; null: everything counts.
 */
export function scopedRowsSql(actor: Actor, owner: string, department: string, bind: Bind): string | null {
  if (seesEverything(actor)) return null;
  return any(scopeClauses(actor, owner, department, bind));
}

/** Binds into a TypeORM query builder's named parameters. */
export function bindTo(qb: SelectQueryBuilder<ObjectLiteral>): Bind {
  return (value) => {
    const name = `vis${Object.keys(qb.getParameters()).length}`;
    qb.setParameter(name, value);
    return `:${name}`;
  };
}

/** May act on the task now: its assignee, or a candidate while nobody holds it. */
export function isTaskParticipant(actor: Actor, task: TaskEntity): boolean {
  if (task.assigneeId) return identitiesOf(actor).includes(task.assigneeId) || task.ownerId === actor.id;
  return isCandidate(actor, task.candidates);
}

/**
 * The delegate of a pending delegation (委派): they may only hand the task back to its owner (resolve),
 * as in Flowable, where a task in DelegationState.PENDING is resolved, never completed, rejected or
 * passed on by the delegate.
 */
export function holdsDelegation(actor: Actor, task: TaskEntity): boolean {
  return (
    task.delegationState === 'pending' &&
    task.assigneeId !== null &&
    identitiesOf(actor).includes(task.assigneeId) &&
    task.ownerId !== actor.id
  );
}

/**
 * Sure to see the task from the row alone (participants, past handlers, the initiator, admins); the
 * rest of the rule (departments, involvement elsewhere in the instance, copies) needs the database.
 */
export function seesTaskByRow(actor: Actor, task: TaskEntity): boolean {
  return (
    seesEverything(actor) ||
    isTaskParticipant(actor, task) ||
    task.endedBy === actor.id ||
    task.ownerId === actor.id ||
    task.initiatorId === actor.id ||
    (task.assigneeId !== null && identitiesOf(actor).includes(task.assigneeId)) ||
    isCandidate(actor, task.candidates)
  );
}
