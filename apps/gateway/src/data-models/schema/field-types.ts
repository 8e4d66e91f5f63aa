import type { FieldError } from '@app/contracts';
import { parseClientDateTime } from '@app/common';

/** The field types a model may use (Twenty/Baserow-like), stored as JSON values under the field's id. */
export const FIELD_TYPES = [
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
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Public field keys: letters, digits and `_`, starting with a letter; the only names that reach SQL are ids. */
export const FIELD_KEY = /^[a-z][a-zA-Z0-9_]{0,62}$/;
/** Storage ids that reach SQL (`f1` … ); generated, never client input. */
export const FIELD_ID = /^f[1-9]\d{0,5}$/;
export const MODEL_KEY = /^[a-z][a-z0-9_]{0,62}$/;
/** Attachment ids of the file store (the message centre's attachments): opaque, short, URL-safe. */
export const FILE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const BIGINT_ID = /^[1-9]\d{0,18}$/;

/** Types a btree index, a sort, a group-by and a unique constraint can use (one comparable value). */
export const SCALAR_TYPES: readonly FieldType[] = [
  'text',
  'number',
  'decimal',
  'boolean',
  'date',
  'datetime',
  'single_select',
  'member',
  'department',
  'relation',
];
export const UNIQUE_TYPES: readonly FieldType[] = SCALAR_TYPES.filter((t) => t !== 'boolean');
export const GROUP_TYPES: readonly FieldType[] = [
  'single_select',
  'boolean',
  'member',
  'department',
  'relation',
];
/** Values compared as numbers in SQL (`::numeric`); every other scalar compares as normalized text. */
export const NUMERIC_TYPES: readonly FieldType[] = ['number', 'decimal'];

export interface Choice {
  value: string;
  label: string;
  color?: string;
}

/** A field as the validators see it (the stored definition's shape). */
export interface FieldSpec {
  id: string;
  key: string;
  name: string;
  type: FieldType;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  deprecated: boolean;
  default?: unknown;
  options?: FieldOptions;
}

export interface FieldOptions {
  maxLength?: number;
  min?: number;
  max?: number;
  integer?: boolean;
  scale?: number;
  choices?: Choice[];
  /** relation: the key of the target model */
  model?: string;
  maxFiles?: number;
}

export const choicesOf = (field: Pick<FieldSpec, 'options'>): Choice[] => field.options?.choices ?? [];

/** A value that counts as "not given": absent, null, '' or an empty list. Such values are not stored. */
export const isEmptyValue = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  (typeof value === 'string' && value.trim() === '') ||
  (Array.isArray(value) && value.length === 0);

const DEFAULT_TEXT_MAX = 255;
const DEFAULT_LONG_TEXT_MAX = 10_000;
const MAX_JSON_BYTES = 16_384;

/** Result of normalizing one value: the value to store, or the reason it is refused. */
export type Checked = { ok: true; value: unknown } | { ok: false; reason: string };
const ok = (value: unknown): Checked => ({ ok: true, value });
const bad = (reason: string): Checked => ({ ok: false, reason });

function depth(value: unknown, level = 0): number {
  if (level > 20) return level;
  if (Array.isArray(value)) return Math.max(level, ...value.map((v) => depth(v, level + 1)));
  if (value && typeof value === 'object')
    return Math.max(level, ...Object.values(value).map((v) => depth(v, level + 1)));
  return level;
}

/**
 * Turns a client value into the stored form, checking it against the field's type and options (not
 * `required`/`unique`, which need the whole record or the table). Dates are `yyyy-MM-dd`; datetimes are
 * UTC ISO strings with milliseconds, so both sort as text; decimals are strings with `scale` digits.
 * Looks nothing up: member, department and relation ids are checked for existence by the caller.
 * `csv`: the value came from a CSV cell (text), so numbers, booleans and lists are parsed from text.
 */
export function normalizeValue(field: FieldSpec, raw: unknown, timeZone: string, csv = false): Checked {
  const o = field.options ?? {};
  switch (field.type) {
    case 'text':
    case 'long_text': {
      if (typeof raw === 'number' && csv) raw = String(raw);
      if (typeof raw !== 'string') return bad('must be a string');
      const max = o.maxLength ?? (field.type === 'text' ? DEFAULT_TEXT_MAX : DEFAULT_LONG_TEXT_MAX);
      if (field.type === 'text' && /[\r\n]/.test(raw)) return bad('must be one line (use long_text)');
      if (raw.length > max) return bad(`must be at most ${max} characters`);
      return ok(field.type === 'text' ? raw.trim() : raw);
    }
    case 'number': {
      const n = typeof raw === 'string' && (csv || raw.trim() !== '') ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isFinite(n)) return bad('must be a number');
      if (o.integer && !Number.isSafeInteger(n)) return bad('must be an integer');
      if (o.min !== undefined && n < o.min) return bad(`must be at least ${o.min}`);
      if (o.max !== undefined && n > o.max) return bad(`must be at most ${o.max}`);
      return ok(n);
    }
    case 'decimal': {
      const scale = o.scale ?? 2;
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
      if (typeof text !== 'string' || !/^-?\d{1,18}(\.\d+)?$/.test(text.trim()))
        return bad('must be a decimal number (up to 18 integer digits)');
      const [int, frac = ''] = text.trim().split('.');
      if (frac.replace(/0+$/, '').length > scale) return bad(`must have at most ${scale} decimals`);
      const value = scale > 0 ? `${int}.${frac.padEnd(scale, '0').slice(0, scale)}` : int;
      const n = Number(value);
      if (o.min !== undefined && n < o.min) return bad(`must be at least ${o.min}`);
      if (o.max !== undefined && n > o.max) return bad(`must be at most ${o.max}`);
      return ok(value.replace(/^-(0+(\.0+)?)$/, '$1'));
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return ok(raw);
      if (csv && typeof raw === 'string') {
        const t = raw.trim().toLowerCase();
        if (['true', '1', 'yes', '是'].includes(t)) return ok(true);
        if (['false', '0', 'no', '否'].includes(t)) return ok(false);
      }
      return bad('must be true or false');
    }
    case 'date': {
      if (typeof raw !== 'string') return bad('must be a date yyyy-MM-dd');
      const m = DATE.exec(raw.trim());
      if (!m) return bad('must be a date yyyy-MM-dd');
      const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
      if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3])
        return bad('is not a calendar date');
      return ok(raw.trim());
    }
    case 'datetime': {
      if (typeof raw !== 'string') return bad('must be ISO 8601 with an offset or yyyy-MM-dd HH:mm:ss');
      try {
        const at = parseClientDateTime(raw, timeZone, field.key);
        if (at.getUTCFullYear() < 1 || at.getUTCFullYear() > 9999) return bad('is out of range');
        return ok(at.toISOString());
      } catch {
        return bad('must be ISO 8601 with an offset or yyyy-MM-dd HH:mm:ss');
      }
    }
    case 'single_select': {
      if (typeof raw !== 'string') return bad('must be one of the choices');
      const value = raw.trim();
      const choice = choicesOf(field).find((c) => c.value === value || (csv && c.label === value));
      return choice
        ? ok(choice.value)
        : bad(
            `must be one of: ${choicesOf(field)
              .map((c) => c.value)
              .join(', ')}`,
          );
    }
    case 'multi_select': {
      const list =
        csv && typeof raw === 'string'
          ? raw
              .split(/[;；|]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))
        return bad('must be a list of choices');
      const values: string[] = [];
      for (const item of list as string[]) {
        const choice = choicesOf(field).find((c) => c.value === item || (csv && c.label === item));
        if (!choice)
          return bad(
            `${item} is not one of: ${choicesOf(field)
              .map((c) => c.value)
              .join(', ')}`,
          );
        if (!values.includes(choice.value)) values.push(choice.value);
      }
      return ok(values);
    }
    case 'member':
    case 'department':
    case 'relation': {
      const id = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
      if (typeof id !== 'string' || !BIGINT_ID.test(id.trim())) return bad('must be an id');
      return ok(id.trim());
    }
    case 'attachment': {
      const list =
        csv && typeof raw === 'string'
          ? raw
              .split(/[;；|]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      const max = o.maxFiles ?? 20;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string' || !FILE_ID.test(v)))
        return bad('must be a list of stored file ids');
      if (list.length > max) return bad(`must hold at most ${max} files`);
      return ok([...new Set(list as string[])]);
    }
    case 'json': {
      let value = raw;
      if (csv && typeof raw === 'string') {
        try {
          value = JSON.parse(raw);
        } catch {
          return bad('must be JSON');
        }
      }
      const text = JSON.stringify(value);
      if (text === undefined) return bad('must be JSON');
      if (Buffer.byteLength(text) > MAX_JSON_BYTES)
        return bad(`must be at most ${MAX_JSON_BYTES} bytes of JSON`);
      if (depth(value) > 10) return bad('must nest at most 10 levels');
      return ok(value);
    }
  }
}

/**
 * Checks the values of one write against the model: every key must name a live field (deprecated fields
 * are read-only), every value must fit its field, and on create the required fields must be given
 * (defaults fill in first). Returns the JSON to merge (`null` clears a field) or field errors named
 * `values.<key>`.
 */
export function validateValues(
  fields: readonly FieldSpec[],
  input: Record<string, unknown>,
  mode: 'create' | 'update',
  timeZone: string,
  options: { csv?: boolean; prefix?: string } = {},
): { data: Record<string, unknown>; errors: FieldError[] } {
  const prefix = options.prefix ?? 'values.';
  const errors: FieldError[] = [];
  const data: Record<string, unknown> = {};
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(input)) {
    const field = byKey.get(key);
    if (!field) errors.push({ field: `${prefix}${key}`, reason: 'is not a field of this model' });
    else if (field.deprecated) errors.push({ field: `${prefix}${key}`, reason: 'is deprecated (read-only)' });
  }
  for (const field of fields) {
    if (field.deprecated) continue;
    const given = Object.hasOwn(input, field.key);
    let raw = given ? input[field.key] : undefined;
    if (mode === 'create' && !given && field.default !== undefined) raw = field.default;
    if (isEmptyValue(raw)) {
      if (field.required && (mode === 'create' || given))
        errors.push({ field: `${prefix}${field.key}`, reason: 'is required' });
      else if (given) data[field.id] = null;
      continue;
    }
    const checked = normalizeValue(field, raw, timeZone, options.csv);
    if (checked.ok) data[field.id] = checked.value;
    else errors.push({ field: `${prefix}${field.key}`, reason: checked.reason });
  }
  return { data, errors };
}
