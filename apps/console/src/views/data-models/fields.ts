import type { Schemas } from '@/api/client';

// What the data-model screens need to know about field types: the gateway decides (docs/data-models.md),
// these tables only choose the inputs the console offers.

export type Model = Schemas['ModelDto'];
export type Field = Schemas['FieldDto'];
export type FieldType = Field['type'];
export type FieldInput = Schemas['FieldInputDto'];
export type View = Schemas['ViewDto'];
export type SaveView = Schemas['SaveViewDto'];
export type DataRecord = Schemas['RecordDto'];

/** The field types in the order the designer offers them (typed: a type the API drops fails vue-tsc). */
export const FIELD_TYPES: readonly FieldType[] = [
  'text',
  'long_text',
  'number',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'single_select',
  'multi_select',
  'member',
  'department',
  'relation',
  'attachment',
  'json',
];

export type Operator =
  | 'eq'
  | 'neq'
  | 'in'
  | 'not_in'
  | 'gt'
  | 'gte'
  | 'lt'
  | 'lte'
  | 'between'
  | 'contains'
  | 'not_contains'
  | 'starts_with'
  | 'has_any'
  | 'has_all'
  | 'has_none'
  | 'empty'
  | 'not_empty';

const EQUALITY: Operator[] = ['eq', 'neq', 'in', 'not_in', 'empty', 'not_empty'];
const RANGE: Operator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'not_empty'];

/** The filter operators of each type, as the gateway's view check accepts them. */
export const OPERATORS: Record<FieldType, readonly Operator[]> = {
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

/** Record columns every model has: usable in columns, filters and sorts, never as field keys. */
export const SYSTEM_FIELDS: readonly { key: string; type: FieldType }[] = [
  { key: 'id', type: 'relation' },
  { key: 'createdAt', type: 'datetime' },
  { key: 'updatedAt', type: 'datetime' },
  { key: 'creatorId', type: 'member' },
  { key: 'departmentId', type: 'department' },
];

/** unique: every scalar type but boolean; indexed: scalar types. */
const SCALAR: readonly FieldType[] = FIELD_TYPES.filter(
  (t) => !['multi_select', 'attachment', 'json', 'long_text'].includes(t),
);
export const canIndex = (type: FieldType): boolean => SCALAR.includes(type);
export const canBeUnique = (type: FieldType): boolean => canIndex(type) && type !== 'boolean';
export const hasChoices = (type: FieldType): boolean => type === 'single_select' || type === 'multi_select';
/** Sortable: what has an order (lists and free JSON have none). */
export const canSort = (type: FieldType): boolean => canIndex(type);

const LIST_OPERATORS: readonly Operator[] = ['in', 'not_in', 'has_any', 'has_all', 'has_none'];
export const takesList = (op: Operator): boolean => LIST_OPERATORS.includes(op);
export const takesValue = (op: Operator): boolean => op !== 'empty' && op !== 'not_empty';

/** Splits a list typed as "a, b; c". */
export function splitList(text: string): string[] {
  return text
    .split(/[,;，；]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** One typed value from what was entered: numbers as numbers, true/false as booleans, the rest text. */
export function typedValue(type: FieldType, text: string): unknown {
  const trimmed = text.trim();
  if (type === 'number')
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  if (type === 'boolean') return trimmed === 'true' ? true : trimmed === 'false' ? false : trimmed;
  return trimmed;
}

/**
 * A condition's operand from the editor's text: a list for list operators, `[from, to]` for between,
 * none for empty / not_empty. The server checks it and names what is wrong (`filter.conditions[i].value`).
 */
export function conditionValue(type: FieldType, operator: Operator, text: string | string[]): unknown {
  if (!takesValue(operator)) return undefined;
  const parts = Array.isArray(text) ? text : null;
  if (takesList(operator)) return (parts ?? splitList(text as string)).map((v) => typedValue(type, v));
  if (operator === 'between') {
    const [from = '', to = ''] = parts ?? (text as string).split(/\s*(?:,|，|~|～)\s*/);
    return [typedValue(type, from), typedValue(type, to)];
  }
  return typedValue(type, Array.isArray(text) ? (text[0] ?? '') : text);
}

/** The editor's text for a stored operand (the inverse of conditionValue for what it produces). */
export function conditionText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return String(value);
}

/** The default value as typed in the designer (JSON for lists and json fields). */
export function defaultValue(type: FieldType, text: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  if (type === 'multi_select' || type === 'attachment' || type === 'json') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return type === 'multi_select' ? splitList(trimmed) : trimmed;
    }
  }
  return typedValue(type, trimmed);
}

export function defaultText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A cell of the records table: choice labels, yes/no, lists joined; names resolved by the caller. */
export function cellText(field: Pick<Field, 'type' | 'options'> | undefined, value: unknown): string {
  if (value === undefined || value === null) return '';
  const label = (v: unknown) => field?.options?.choices?.find((c) => c.value === v)?.label ?? String(v);
  if (field && hasChoices(field.type))
    return Array.isArray(value) ? value.map(label).join(', ') : label(value);
  if (typeof value === 'boolean') return value ? '✓' : '✗';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
