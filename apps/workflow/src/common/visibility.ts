import type { SelectQueryBuilder } from 'typeorm';
import { type Actor, actorHas } from '@app/contracts';
import type { ProcessInstanceEntity, TaskEntity } from '@app/database';
import { candidateKeysOfActor, identitiesOf, isCandidate } from './candidate-keys';

/** Admins and `all` scope see every instance and task. */
export function seesEverything(actor: Actor): boolean {
  return actorHas(actor, 'workflow:admin') || actor.dataScope === 'all';
}

/**
 * Instances an actor may see: their own, those where they hold, may claim or handled a task, and,
 * by data scope, those started in their departments. Everything else answers 404.
 */
export function restrictInstancesTo(
  qb: SelectQueryBuilder<ProcessInstanceEntity>,
  alias: string,
  actor: Actor,
): void {
  if (seesEverything(actor)) return;
  const clauses = [
    `${alias}.initiator_id = :vActorId`,
    `EXISTS (SELECT 1 FROM workflow.task vt WHERE vt.instance_id = ${alias}.id AND (vt.assignee_id IN (:...vIds) OR vt.owner_id = :vActorId OR vt.ended_by = :vActorId OR vt.candidates && :vKeys))`,
    `EXISTS (SELECT 1 FROM workflow.task_copy vc WHERE vc.instance_id = ${alias}.id AND vc.user_id IN (:...vIds))`,
  ];
  if (actor.departmentIds.length > 0) clauses.push(`${alias}.initiator_department_id IN (:...vDepartments)`);
  qb.andWhere(`(${clauses.join(' OR ')})`, {
    vActorId: actor.id,
    vIds: identitiesOf(actor),
    vKeys: candidateKeysOfActor(actor),
    vDepartments: actor.departmentIds,
  });
}

/** May act on the task now: its assignee, or a candidate while nobody holds it. */
export function isTaskParticipant(actor: Actor, task: TaskEntity): boolean {
  if (task.assigneeId) return identitiesOf(actor).includes(task.assigneeId) || task.ownerId === actor.id;
  return isCandidate(actor, task.candidates);
}

/** May look at the task: participants, past handlers, the initiator, admins. */
export function maySeeTask(actor: Actor, task: TaskEntity): boolean {
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
