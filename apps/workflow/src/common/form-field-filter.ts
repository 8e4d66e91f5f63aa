import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { FieldError, FormFieldFilter } from '@app/contracts';
import { AppException, containsPattern, prefixPattern } from '@app/common';

const NUMBER = /^-?\d{1,15}(\.\d{1,10})?$/;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:?\d{2}|Z)?)?$/;
const RANGE = new Set(['gt', 'gte', 'lt', 'lte']);
const SQL_OPERATOR: Record<string, string> = { gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** How a filter is named in errors: the query parameter the client wrote. */
export const formFilterName = (f: Pick<FormFieldFilter, 'field' | 'operator'>): string =>
  `formField.${f.field}[${f.operator}]`;

/**
 * Checks the operands (a number or a date for ranges, one value for all but `in`) and, when `allowed`
 * is given (the keys of the process's form), that every filtered and shown key is one of them: 4101
 * naming `formField.<key>[<op>]` or `formFields`.
 */
export function checkFormFieldQuery(
  query: { formFilters?: readonly FormFieldFilter[]; formFields?: readonly string[] },
  allowed: ReadonlySet<string> | null,
): void {
  const errors: FieldError[] = [];
  const known = (key: string) => !allowed || allowed.has(key) || allowed.has(key.split('.')[0]);
  for (const f of query.formFilters ?? []) {
    const name = formFilterName(f);
    if (!known(f.field)) errors.push({ field: name, reason: 'is not a field of the process form' });
    else if (f.operator === 'empty' || f.operator === 'not_empty') continue;
    else if (f.values.length === 0 || (f.operator !== 'in' && f.values.length > 1))
      errors.push({ field: name, reason: f.operator === 'in' ? 'needs values' : 'needs one value' });
    else if (f.operator === 'in' && f.values.length > 100)
      errors.push({ field: name, reason: 'at most 100 values' });
    else if (RANGE.has(f.operator) && !NUMBER.test(f.values[0]) && !DATE.test(f.values[0]))
      errors.push({ field: name, reason: 'must be a number or a date (yyyy-MM-dd…)' });
  }
  const unknown = (query.formFields ?? []).filter((key) => !known(key));
  if (unknown.length > 0)
    errors.push({ field: 'formFields', reason: `not fields of the process form: ${unknown.join(', ')}` });
  if (errors.length > 0) throw AppException.invalid(errors);
}

/**
 * ANDs the filters over a JSONB column (`column` is a fixed expression of the caller, never client
 * text). Keys and values are bound parameters; a value that is not a number never reaches a numeric
 * cast, so no stored data can make the query fail.
 */
export function applyFormFilters<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  column: string,
  filters: readonly FormFieldFilter[] | undefined,
): void {
  (filters ?? []).forEach((f, i) => {
    const path = `ffPath${i}`;
    const value = `ffValue${i}`;
    const text = `(${column} #>> CAST(:${path} AS text[]))`;
    const json = `(${column} #> CAST(:${path} AS text[]))`;
    const params: Record<string, unknown> = { [path]: f.field.split('.'), [value]: f.values[0] };
    const numeric = `(CASE WHEN jsonb_typeof(${json}) = 'number' OR ${text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN CAST(${text} AS numeric) END)`;
    let sql: string;
    switch (f.operator) {
      case 'eq':
        sql = NUMBER.test(f.values[0])
          ? `(${text} = :${value} OR ${numeric} = CAST(:${value} AS numeric))`
          : `${text} = :${value}`;
        break;
      case 'ne':
        sql = NUMBER.test(f.values[0])
          ? `(${text} = :${value} OR ${numeric} = CAST(:${value} AS numeric)) IS NOT TRUE`
          : `${text} IS DISTINCT FROM :${value}`;
        break;
      case 'contains':
        params[value] = containsPattern(f.values[0]);
        sql = `${text} ILIKE :${value}`;
        break;
      case 'starts_with':
        params[value] = prefixPattern(f.values[0]);
        sql = `${text} ILIKE :${value}`;
        break;
      case 'in':
        params[value] = f.values;
        sql = `${text} = ANY(CAST(:${value} AS text[]))`;
        break;
      case 'empty':
        sql = `(${json} IS NULL OR ${json} = CAST('null' AS jsonb) OR ${text} = '' OR ${json} = CAST('[]' AS jsonb))`;
        break;
      case 'not_empty':
        sql = `(${json} IS NULL OR ${json} = CAST('null' AS jsonb) OR ${text} = '' OR ${json} = CAST('[]' AS jsonb)) IS NOT TRUE`;
        break;
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        // a number compares numbers (or numeric text); a date compares ISO date text as text
        sql = NUMBER.test(f.values[0])
          ? `${numeric} ${SQL_OPERATOR[f.operator]} CAST(:${value} AS numeric)`
          : `(${text} ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' AND ${text} ${SQL_OPERATOR[f.operator]} :${value})`;
        break;
    }
    qb.andWhere(sql, params);
  });
}

/** The named fields of a row's form data (a dotted key reads a nested value; absent: null). */
export function pickFormValues(
  data: Record<string, unknown> | null | undefined,
  fields: readonly string[] | undefined,
): Record<string, unknown> | undefined {
  if (!fields || fields.length === 0) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of fields) {
    let at: unknown = data ?? null;
    for (const part of key.split('.'))
      at =
        at !== null && typeof at === 'object' && Object.hasOwn(at, part)
          ? (at as Record<string, unknown>)[part]
          : null;
    out[key] = at ?? null;
  }
  return out;
}
