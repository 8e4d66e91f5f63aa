import { containsPattern, prefixPattern } from '@app/common';
import type { FieldError } from '@app/contracts';
import {
  FIELD_ID,
  type FieldSpec,
  type FieldType,
  GROUP_TYPES,
  normalizeValue,
  NUMERIC_TYPES,
  SCALAR_TYPES,
} from '../schema/field-types';

/**
 * Filters, sorts and group-by of views, and their translation to SQL. The only identifiers that reach
 * SQL are field ids (`f12`, generated, checked against FIELD_ID and the model's own list) and the fixed
 * system columns below; every value is a bound parameter.
 */

export const FILTER_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'contains',
  'not_contains',
  'starts_with',
  'has_any',
  'has_all',
  'has_none',
  'empty',
  'not_empty',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

const EQUALITY: FilterOperator[] = ['eq', 'neq', 'in', 'not_in', 'empty', 'not_empty'];
const RANGE: FilterOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'];

/** Which operators each field type accepts. */
export const OPERATORS_BY_TYPE: Record<FieldType, readonly FilterOperator[]> = {
  text: [...EQUALITY, 'contains', 'not_contains', 'starts_with'],
  long_text: ['contains', 'not_contains', 'empty', 'not_empty'],
  number: [...RANGE, 'in', 'not_in'],
  decimal: [...RANGE, 'in', 'not_in'],
  boolean: ['eq', 'empty', 'not_empty'],
  date: RANGE,
  datetime: RANGE,
  single_select: EQUALITY,
  multi_select: ['has_any', 'has_all', 'has_none', 'empty', 'not_empty'],
  member: EQUALITY,
  department: EQUALITY,
  relation: EQUALITY,
  attachment: ['empty', 'not_empty'],
  json: ['empty', 'not_empty'],
};

/** Record columns every model has, addressable by these keys in filters and sorts. */
export const SYSTEM_FIELDS: Record<string, { id: string; type: FieldType; column: string }> = {
  id: { id: '$id', type: 'relation', column: 'r.id' },
  createdAt: { id: '$createdAt', type: 'datetime', column: 'r.created_at' },
  updatedAt: { id: '$updatedAt', type: 'datetime', column: 'r.updated_at' },
  creatorId: { id: '$creatorId', type: 'member', column: 'r.creator_id' },
  departmentId: { id: '$departmentId', type: 'department', column: 'r.department_id' },
};
const SYSTEM_BY_ID = new Map(Object.values(SYSTEM_FIELDS).map((s) => [s.id, s]));

/** Values standing for the caller in member and department conditions (a shared "my records" view). */
export const ME = '@me';
export const MY_DEPARTMENT = '@myDepartment';

export interface Condition {
  field: string;
  operator: FilterOperator;
  value?: unknown;
}
export interface FilterGroup {
  op: 'and' | 'or';
  conditions: (Condition | FilterGroup)[];
}
export interface SortSpec {
  field: string;
  direction: 'asc' | 'desc';
}

export const MAX_CONDITIONS = 50;
export const MAX_DEPTH = 4;
export const MAX_SORTS = 5;
const MAX_LIST = 100;

export const isGroup = (item: unknown): item is FilterGroup =>
  typeof item === 'object' && item !== null && 'conditions' in item;

interface Resolved {
  id: string;
  type: FieldType;
  spec?: FieldSpec;
}

/** The field a client key names (a model field or a system column), or null. */
export function fieldByKey(fields: readonly FieldSpec[], key: unknown): Resolved | null {
  if (typeof key !== 'string') return null;
  const system = SYSTEM_FIELDS[key];
  if (system && Object.hasOwn(SYSTEM_FIELDS, key)) return { id: system.id, type: system.type };
  const spec = fields.find((f) => f.key === key);
  return spec ? { id: spec.id, type: spec.type, spec } : null;
}

/** The field a stored id names, or null (a field id that is not the model's never reaches SQL). */
function fieldById(fields: readonly FieldSpec[], id: string): Resolved | null {
  const system = SYSTEM_BY_ID.get(id);
  if (system) return { id, type: system.type };
  if (!FIELD_ID.test(id)) return null;
  const spec = fields.find((f) => f.id === id);
  return spec ? { id, type: spec.type, spec } : null;
}

export const keyOfId = (fields: readonly FieldSpec[], id: string): string =>
  [...Object.entries(SYSTEM_FIELDS)].find(([, s]) => s.id === id)?.[0] ??
  fields.find((f) => f.id === id)?.key ??
  id;

function normalizeOperand(
  field: Resolved,
  raw: unknown,
  timeZone: string,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if ((field.type === 'member' && raw === ME) || (field.type === 'department' && raw === MY_DEPARTMENT))
    return { ok: true, value: raw };
  const spec: FieldSpec = field.spec ?? {
    id: field.id,
    key: field.id,
    name: field.id,
    type: field.type,
    required: false,
    unique: false,
    indexed: false,
    deprecated: false,
  };
  // a filter value compares with stored values, so it goes through the same normalizer (no range checks)
  const loose: FieldSpec = { ...spec, options: { ...spec.options, min: undefined, max: undefined } };
  return normalizeValue(loose, raw, timeZone);
}

/**
 * Checks a filter written with field keys and returns it with field ids and normalized values, or the
 * errors named by their path (`filter.conditions[1].value`).
 */
export function resolveFilter(
  fields: readonly FieldSpec[],
  input: unknown,
  path: string,
  timeZone: string,
): { filter: FilterGroup | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  let count = 0;
  const walk = (node: unknown, at: string, level: number): FilterGroup | null => {
    if (!isGroup(node) || !Array.isArray(node.conditions)) {
      errors.push({ field: at, reason: 'must be { op: "and" | "or", conditions: [...] }' });
      return null;
    }
    const op = (node as { op?: unknown }).op ?? 'and';
    if (op !== 'and' && op !== 'or') errors.push({ field: `${at}.op`, reason: 'must be and or or' });
    if (level > MAX_DEPTH) {
      errors.push({ field: at, reason: `groups nest at most ${MAX_DEPTH} levels` });
      return null;
    }
    const out: FilterGroup = { op: op === 'or' ? 'or' : 'and', conditions: [] };
    node.conditions.forEach((item: unknown, index: number) => {
      const here = `${at}.conditions[${index}]`;
      if (isGroup(item)) {
        const group = walk(item, here, level + 1);
        if (group) out.conditions.push(group);
        return;
      }
      if (++count > MAX_CONDITIONS) {
        if (count === MAX_CONDITIONS + 1)
          errors.push({ field: here, reason: `at most ${MAX_CONDITIONS} conditions` });
        return;
      }
      const c = (item ?? {}) as Partial<Condition>;
      const field = fieldByKey(fields, c.field);
      if (!field) {
        errors.push({ field: `${here}.field`, reason: 'is not a field of this model' });
        return;
      }
      const operator = c.operator as FilterOperator;
      if (!OPERATORS_BY_TYPE[field.type].includes(operator)) {
        errors.push({
          field: `${here}.operator`,
          reason: `must be one of ${OPERATORS_BY_TYPE[field.type].join(', ')} for a ${field.type} field`,
        });
        return;
      }
      const value = resolveOperand(field, operator, c.value, `${here}.value`, timeZone, errors);
      if (value === INVALID) return;
      out.conditions.push(
        value === undefined ? { field: field.id, operator } : { field: field.id, operator, value },
      );
    });
    return out;
  };
  if (input === undefined || input === null) return { filter: null, errors };
  const filter = walk(input, path, 1);
  return { filter: errors.length ? null : filter, errors };
}

const INVALID = Symbol('invalid');

function resolveOperand(
  field: Resolved,
  operator: FilterOperator,
  raw: unknown,
  at: string,
  timeZone: string,
  errors: FieldError[],
): unknown {
  const one = (value: unknown, where: string): unknown => {
    const checked = normalizeOperand(field, value, timeZone);
    if (checked.ok) return checked.value;
    errors.push({ field: where, reason: checked.reason });
    return INVALID;
  };
  switch (operator) {
    case 'empty':
    case 'not_empty':
      return undefined;
    case 'contains':
    case 'not_contains':
    case 'starts_with':
      if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) {
        errors.push({ field: at, reason: 'must be text of 1 to 255 characters' });
        return INVALID;
      }
      return raw;
    case 'in':
    case 'not_in':
    case 'has_any':
    case 'has_all':
    case 'has_none': {
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_LIST) {
        errors.push({ field: at, reason: `must be a list of 1 to ${MAX_LIST} values` });
        return INVALID;
      }
      if (field.type === 'multi_select') {
        const checked = one(raw, at);
        return checked;
      }
      const values = raw.map((v, i) => one(v, `${at}[${i}]`));
      return values.includes(INVALID) ? INVALID : values;
    }
    case 'between': {
      if (!Array.isArray(raw) || raw.length !== 2) {
        errors.push({ field: at, reason: 'must be [from, to]' });
        return INVALID;
      }
      const values = raw.map((v, i) => one(v, `${at}[${i}]`));
      return values.includes(INVALID) ? INVALID : values;
    }
    case 'eq':
    case 'neq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return one(raw, at);
  }
}

/** Checks sorts written with keys; returns them with ids. */
export function resolveSorts(
  fields: readonly FieldSpec[],
  input: unknown,
  path: string,
): { sorts: SortSpec[]; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const sorts: SortSpec[] = [];
  if (input === undefined || input === null) return { sorts, errors };
  if (!Array.isArray(input) || input.length > MAX_SORTS) {
    errors.push({ field: path, reason: `must be a list of at most ${MAX_SORTS} sorts` });
    return { sorts, errors };
  }
  input.forEach((item: unknown, index: number) => {
    const s = (item ?? {}) as Partial<SortSpec>;
    const field = fieldByKey(fields, s.field);
    if (!field || !(SCALAR_TYPES.includes(field.type) || field.id.startsWith('$')))
      errors.push({ field: `${path}[${index}].field`, reason: 'must be a sortable field of this model' });
    else if (s.direction !== undefined && s.direction !== 'asc' && s.direction !== 'desc')
      errors.push({ field: `${path}[${index}].direction`, reason: 'must be asc or desc' });
    else sorts.push({ field: field.id, direction: s.direction ?? 'asc' });
  });
  return { sorts, errors };
}

/** `-amount,name` (a query string) as sorts with keys. */
export const parseSortParam = (text: string): { field: string; direction: 'asc' | 'desc' }[] =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) =>
      s.startsWith('-') ? { field: s.slice(1), direction: 'desc' } : { field: s, direction: 'asc' },
    );

export function resolveGroupBy(
  fields: readonly FieldSpec[],
  key: unknown,
  path: string,
): { groupBy: string | null; errors: FieldError[] } {
  if (key === undefined || key === null) return { groupBy: null, errors: [] };
  const field = fieldByKey(fields, key);
  if (!field || !GROUP_TYPES.includes(field.type))
    return {
      groupBy: null,
      errors: [{ field: path, reason: `must be a field of type ${GROUP_TYPES.join(', ')}` }],
    };
  return { groupBy: field.id, errors: [] };
}

/** Bound parameters of one query, named `dm_<n>` (TypeORM named parameters). */
export class QueryParams {
  readonly values: Record<string, unknown> = {};
  private next = 0;
  add(value: unknown): string {
    const name = `dm_${this.next++}`;
    this.values[name] = value;
    return `:${name}`;
  }
}

export interface CallerContext {
  actorId: string;
  departmentId: string | null;
}

/** The SQL expression of a field's value in alias `r` (ids are checked: nothing else reaches SQL). */
export function expressionOf(
  fields: readonly FieldSpec[],
  id: string,
): { sql: string; type: FieldType; system: boolean } {
  const field = fieldById(fields, id);
  if (!field) throw new Error(`unknown field id ${id}`);
  const system = SYSTEM_BY_ID.get(id);
  if (system) return { sql: system.column, type: system.type, system: true };
  const sql = NUMERIC_TYPES.includes(field.type) ? `((r.data->>'${id}')::numeric)` : `(r.data->>'${id}')`;
  return { sql, type: field.type, system: false };
}

const CONTAINMENT: readonly FieldType[] = [
  'text',
  'number',
  'single_select',
  'member',
  'department',
  'relation',
];

/** The WHERE fragment of a resolved filter (null: no condition). */
export function compileFilter(
  fields: readonly FieldSpec[],
  filter: FilterGroup | null,
  params: QueryParams,
  caller: CallerContext,
): string | null {
  if (!filter) return null;
  const parts = filter.conditions
    .map((item) =>
      isGroup(item)
        ? compileFilter(fields, item, params, caller)
        : compileCondition(fields, item, params, caller),
    )
    .filter((p): p is string => p !== null);
  if (parts.length === 0) return null;
  return `(${parts.join(filter.op === 'or' ? ' OR ' : ' AND ')})`;
}

function compileCondition(
  fields: readonly FieldSpec[],
  c: Condition,
  params: QueryParams,
  caller: CallerContext,
): string {
  const { sql: expr, type, system } = expressionOf(fields, c.field);
  const me = (v: unknown) =>
    v === ME ? caller.actorId : v === MY_DEPARTMENT ? (caller.departmentId ?? '0') : v;
  const typed = (placeholder: string) =>
    system
      ? type === 'datetime'
        ? `CAST(${placeholder} AS timestamptz)`
        : `CAST(${placeholder} AS bigint)`
      : NUMERIC_TYPES.includes(type)
        ? `CAST(${placeholder} AS numeric)`
        : placeholder;
  const json = `(r.data->'${c.field}')`;
  const equals = (value: unknown): string => {
    if (!system && type === 'boolean')
      return value === true
        ? `r.data @> CAST(${params.add(JSON.stringify({ [c.field]: true }))} AS jsonb)`
        : `(r.data @> CAST(${params.add(JSON.stringify({ [c.field]: true }))} AS jsonb)) IS NOT TRUE`;
    if (!system && CONTAINMENT.includes(type))
      return `r.data @> CAST(${params.add(JSON.stringify({ [c.field]: me(value) }))} AS jsonb)`;
    return `${expr} = ${typed(params.add(me(value)))}`;
  };
  const list = (values: unknown[]): string => {
    const array = system ? 'bigint[]' : NUMERIC_TYPES.includes(type) ? 'numeric[]' : 'text[]';
    return `${expr} = ANY(CAST(${params.add(values.map((v) => String(me(v))))} AS ${array}))`;
  };
  const value = c.value;
  switch (c.operator) {
    case 'eq':
      return equals(value);
    case 'neq':
      return `(${equals(value)}) IS NOT TRUE`;
    case 'in':
      return list(value as unknown[]);
    case 'not_in':
      return `(${list(value as unknown[])}) IS NOT TRUE`;
    case 'gt':
      return `${expr} > ${typed(params.add(value))}`;
    case 'gte':
      return `${expr} >= ${typed(params.add(value))}`;
    case 'lt':
      return `${expr} < ${typed(params.add(value))}`;
    case 'lte':
      return `${expr} <= ${typed(params.add(value))}`;
    case 'between': {
      const [from, to] = value as unknown[];
      return `${expr} BETWEEN ${typed(params.add(from))} AND ${typed(params.add(to))}`;
    }
    case 'contains':
      return `${expr} ILIKE ${params.add(containsPattern(String(value)))}`;
    case 'not_contains':
      return `(${expr} ILIKE ${params.add(containsPattern(String(value)))}) IS NOT TRUE`;
    case 'starts_with':
      return `${expr} ILIKE ${params.add(prefixPattern(String(value)))}`;
    case 'has_any':
      return `${json} ?| CAST(${params.add(value)} AS text[])`;
    case 'has_all':
      return `r.data @> CAST(${params.add(JSON.stringify({ [c.field]: value }))} AS jsonb)`;
    case 'has_none':
      return `(${json} ?| CAST(${params.add(value)} AS text[])) IS NOT TRUE`;
    case 'empty':
      return system ? `${expr} IS NULL` : `${json} IS NULL`;
    case 'not_empty':
      return system ? `${expr} IS NOT NULL` : `${json} IS NOT NULL`;
  }
}

/**
 * ORDER BY items: the group-by field first, then the sorts, then the id (a stable page order). Empty
 * values sort as largest (PostgreSQL's default), so one btree index serves both directions.
 */
export function compileOrder(
  fields: readonly FieldSpec[],
  sorts: readonly SortSpec[],
  groupBy: string | null,
): [string, 'ASC' | 'DESC'][] {
  const order: [string, 'ASC' | 'DESC'][] = [];
  if (groupBy) order.push([expressionOf(fields, groupBy).sql, 'ASC']);
  for (const sort of sorts)
    order.push([expressionOf(fields, sort.field).sql, sort.direction === 'desc' ? 'DESC' : 'ASC']);
  if (order.length === 0) order.push(['r.created_at', 'DESC']);
  order.push(['r.id', order[order.length - 1][1]]);
  return order;
}
