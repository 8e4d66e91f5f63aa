import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import type { Actor } from '@app/contracts';
import { type BindValue, isInScope, namedBinder, scopeSql } from '@app/auth';

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

/**
 * The caller's data scope over a CRM record as SQL: `scopeSql` of `@app/auth` (owners and department)
 * widened by the follower array and any extra ownership condition; `all` matches everything.
 */
export function crmScopeSql(actor: Actor, columns: CrmScopeColumns, bind: BindValue): string {
  const base = scopeSql(actor, { owner: columns.owners, department: columns.department }, bind);
  if (actor.dataScope === 'all' || !/^\d{1,19}$/.test(actor.id)) return base;
  const clauses = [base];
  if (columns.followers) clauses.push(`${columns.followers} @> ARRAY[${bind(actor.id)}]::bigint[]`);
  if (columns.ownedWhen) clauses.push(`(${columns.ownedWhen.replaceAll(':actorId', bind(actor.id))})`);
  return clauses.join(' OR ');
}

/** `crmScopeSql` for a query builder. */
export function crmScopeWhere(actor: Actor, columns: CrmScopeColumns): Brackets {
  const { bind, parameters } = namedBinder('crm_scope_');
  const sql = crmScopeSql(actor, columns, bind);
  return new Brackets((qb: WhereExpressionBuilder) => {
    qb.where(sql, parameters);
  });
}

/** Is a staff member (by id and department) one the caller may name as creator, director or follower? */
export function staffInScope(actor: Actor, staff: { id: string; departmentId: string | null }): boolean {
  return isInScope(actor, { ownerIds: [staff.id], departmentId: staff.departmentId });
}
