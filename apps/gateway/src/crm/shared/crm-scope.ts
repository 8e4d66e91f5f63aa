import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { isInScope, scopeWhere } from '@app/auth';

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

/** Is a staff member (by id and department) one the caller may name as creator, director or follower? */
export function staffInScope(actor: Actor, staff: { id: string; departmentId: string | null }): boolean {
  return isInScope(actor, { ownerIds: [staff.id], departmentId: staff.departmentId });
}
