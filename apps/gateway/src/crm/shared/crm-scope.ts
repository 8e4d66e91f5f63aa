import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { isInScope, scopeWhere } from '@app/auth';
import type { SqlWhere } from './sql-where';

/** Where a CRM record keeps the staff who make it "mine" (DESIGN §3: created, directed or followed). */
export interface CrmScopeColumns {
  /** Columns holding one staff id: creator, director, owner, editor. */
  owners: readonly string[];
  /** A `bigint[]` column of followers (follow-ups, demands, satisfaction, contracts). */
  followers?: string;
  /** Extra SQL that makes the record the actor's own; `:actorId` is bound to the actor's id. */
  ownedWhen?: string;
  /** The record's department column (the creator's department when it was created). */
  department: string;
}

let sequence = 0;

/**
 * The caller's data scope as a where clause: `scopeWhere` of `@app/auth` (owners and department) widened
 * by the follower array and any extra ownership condition. `all` matches everything.
 */
export function crmScopeWhere(actor: Actor, columns: CrmScopeColumns): Brackets {
  return new Brackets((qb: WhereExpressionBuilder) => {
    qb.where(scopeWhere(actor, { owner: columns.owners, department: columns.department }));
    if (actor.dataScope === 'all' || !/^\d{1,19}$/.test(actor.id)) return;
    const name = `crm_actor_${(sequence = (sequence + 1) % 1_000_000_000)}`;
    if (columns.followers)
      qb.orWhere(`${columns.followers} @> ARRAY[:${name}]::bigint[]`, { [name]: actor.id });
    if (columns.ownedWhen)
      qb.orWhere(columns.ownedWhen.replaceAll(':actorId', `:${name}`), { [name]: actor.id });
  });
}

/**
 * The same scope as `crmScopeWhere`, as SQL with its values bound into `where` — for the statements the
 * lists send without the query builder. Kept clause for clause with `scopeWhere` (owners OR departments,
 * `all` everything, nothing reachable FALSE) and the follower and ownership widening above.
 */
export function crmScopeSql(actor: Actor, columns: CrmScopeColumns, where: SqlWhere): string {
  if (actor.dataScope === 'all') return 'TRUE';
  const staff = /^\d{1,19}$/.test(actor.id);
  const clauses: string[] = [];
  if (staff) {
    const me = where.bind(actor.id);
    for (const column of columns.owners) clauses.push(`${column} = ${me}`);
  }
  if (actor.dataScope !== 'own' && actor.departmentIds.length > 0)
    clauses.push(`${columns.department} IN (${actor.departmentIds.map(where.bind).join(', ')})`);
  if (clauses.length === 0) clauses.push('FALSE');
  if (!staff) return clauses.join(' OR ');
  if (columns.followers) clauses.push(`${columns.followers} @> ARRAY[${where.bind(actor.id)}]::bigint[]`);
  if (columns.ownedWhen) clauses.push(columns.ownedWhen.replaceAll(':actorId', where.bind(actor.id)));
  return clauses.join(' OR ');
}

/** Is a staff member (by id and department) one the caller may name as creator, director or follower? */
export function staffInScope(actor: Actor, staff: { id: string; departmentId: string | null }): boolean {
  return isInScope(actor, { ownerIds: [staff.id], departmentId: staff.departmentId });
}
