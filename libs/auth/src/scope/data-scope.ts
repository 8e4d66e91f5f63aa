import { Brackets, type WhereExpressionBuilder } from 'typeorm';
import { type Actor, DATA_SCOPES, type DataScope } from '@app/contracts';

const SCOPE_RANK: Record<DataScope, number> = { own: 0, department: 1, department_and_below: 2, all: 3 };

/** The widest of several scopes (a member's scope is the widest of their roles). */
export function widestScope(scopes: Iterable<DataScope>): DataScope {
  let widest: DataScope = 'own';
  for (const scope of scopes) if (SCOPE_RANK[scope] > SCOPE_RANK[widest]) widest = scope;
  return widest;
}

/** The narrower of two scopes (an application acting as a user never widens the user's scope). */
export function narrowerScope(a: DataScope, b: DataScope): DataScope {
  return SCOPE_RANK[a] <= SCOPE_RANK[b] ? a : b;
}

export function isDataScope(value: unknown): value is DataScope {
  return typeof value === 'string' && (DATA_SCOPES as readonly string[]).includes(value);
}

/** Where a record keeps its owner(s) and department, as SQL expressions of the query's alias. */
export interface ScopeColumns {
  /**
   * Column(s) holding the id of a staff member who owns the record (creator, director, assignee …):
   * the record is the actor's own when any of them equals the actor's id. E.g. `'c.creator_id'` or
   * `['c.creator_id', 'c.director_id']`.
   */
  owner?: string | readonly string[];
  /**
   * Column (or SQL expression) holding the record's department id, e.g. `'c.department_id'`; a record
   * that keeps none takes its owner's from the gateway's directory (`staffDepartmentSql('c.creator_id')`).
   */
  department?: string;
}

let parameterSequence = 0;

const isStaffId = (id: string) => /^\d{1,19}$/.test(id);

/** Binds a value into a statement and answers its placeholder (`$3`, or `:name` for a query builder). */
export type BindValue = (value: unknown) => string;

/**
 * Named placeholders unique to one call (`:<prefix><seq>_<n>`), so a query builder can take several
 * such clauses; `parameters` are what the builder binds.
 */
export function namedBinder(prefix: string): { bind: BindValue; parameters: Record<string, unknown> } {
  const parameters: Record<string, unknown> = {};
  const call = `${prefix}${(parameterSequence = (parameterSequence + 1) % 1_000_000_000)}_`;
  let n = 0;
  const bind: BindValue = (value) => {
    const name = `${call}${++n}`;
    parameters[name] = value;
    return `:${name}`;
  };
  return { bind, parameters };
}

/**
 * The data-scope rule of DESIGN §3 as SQL, its values bound through `bind` (see `scopeWhere` for the
 * rule). The one definition: `scopeWhere` and the raw statements of the CRM lists both read it.
 */
export function scopeSql(actor: Actor, columns: ScopeColumns, bind: BindValue): string {
  if (actor.dataScope === 'all') return 'TRUE';
  const owners =
    columns.owner === undefined ? [] : typeof columns.owner === 'string' ? [columns.owner] : columns.owner;
  const clauses: string[] = [];
  if (isStaffId(actor.id) && owners.length > 0) {
    const me = bind(actor.id);
    for (const column of owners) clauses.push(`${column} = ${me}`);
  }
  if (actor.dataScope !== 'own' && columns.department && actor.departmentIds.length > 0)
    clauses.push(`${columns.department} IN (${actor.departmentIds.map(bind).join(', ')})`);
  return clauses.length === 0 ? 'FALSE' : clauses.join(' OR ');
}

/**
 * The data-scope filter of DESIGN §3 as a TypeORM `Brackets`, for any query builder:
 *
 * ```ts
 * qb.andWhere(scopeWhere(actor, { owner: ['c.creator_id', 'c.director_id'], department: 'c.department_id' }));
 * ```
 *
 * - `all`: no restriction.
 * - `department` / `department_and_below`: the record's department is one of `actor.departmentIds`
 *   (the gateway resolves the actor's department, and for `…_and_below` its descendants), or the
 *   record is the actor's own.
 * - `own`: one of the owner columns is the actor's id.
 *
 * A scope that can reach nothing (no owner columns given, no departments) matches no row. Parameter
 * names are unique per call, so the helper can be applied several times to one query.
 */
export function scopeWhere(actor: Actor, columns: ScopeColumns): Brackets {
  const { bind, parameters } = namedBinder('scope_');
  const sql = scopeSql(actor, columns, bind);
  return new Brackets((qb: WhereExpressionBuilder) => {
    qb.where(sql, parameters);
  });
}

/** A record as the object-level check sees it. */
export interface ScopedRecord {
  ownerIds?: readonly (string | null | undefined)[];
  departmentId?: string | null;
}

/** The in-memory twin of `scopeWhere`, for object-level checks on one loaded record. */
export function isInScope(actor: Actor, record: ScopedRecord): boolean {
  if (actor.dataScope === 'all') return true;
  if (isStaffId(actor.id) && (record.ownerIds ?? []).some((id) => id != null && String(id) === actor.id))
    return true;
  if (actor.dataScope === 'own') return false;
  return record.departmentId != null && actor.departmentIds.includes(String(record.departmentId));
}
